#!/usr/bin/env bash
# Bring up a real 3-node swarm (manager1, worker1, worker2) on this machine: one dockerd per
# network namespace, all bridged in a "hub" netns on 198.18.0.0/24 so the host's firewall
# and its own dockerd are never touched. Idempotent: runs down.sh first. The last line
# printed is the DOCKER_HOST of manager1. See docs/real-captures.md.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# --single: the one-node variant on the machine's own dockerd (up-single.sh).
[[ ${1:-} == --single ]] && exec "$HERE/up-single.sh"
. "$HERE/common.sh"

[[ $(id -u) == 0 ]] || { echo "up.sh must run as root" >&2; exit 1; }
command -v dockerd >/dev/null || { echo "dockerd missing: apt-get install -y docker.io" >&2; exit 1; }

"$HERE/down.sh"
t0=$(sw3_now)

mkdir -p "$SW3_RUN/cli" "$SW3_LIB"
# Our own config file, so /etc/docker/daemon.json never applies. It is empty but for the trust
# key path: dockerd 20.10 otherwise creates /etc/docker/key.json, a file of the machine's own
# engine, and has no command-line flag for it.
for n in "${SW3_NODES[@]}"; do
  mkdir -p "$SW3_RUN/$n" "$SW3_LIB/$n"
  printf '{"deprecated-key-path": "%s"}\n' "$SW3_LIB/$n/key.json" >"$SW3_RUN/$n/daemon.json"
done

# Hub netns with the bridge (not the root netns: br_netfilter + Docker's FORWARD DROP would
# drop traffic between the nodes there).
ip netns add "$SW3_HUB"
ip -n "$SW3_HUB" link set lo up
ip -n "$SW3_HUB" link add br0 type bridge
ip -n "$SW3_HUB" link set br0 up
for n in "${SW3_NODES[@]}"; do
  ip netns add "$n"
  ip -n "$n" link set lo up
  ip -n "$SW3_HUB" link add "v-$n" type veth peer name eth0 netns "$n"
  ip -n "$SW3_HUB" link set "v-$n" master br0 up
  ip -n "$n" addr add "${SW3_IP[$n]}/24" dev eth0
  ip -n "$n" link set eth0 up
done
echo "netns ready in $(sw3_since "$t0")s" >&2

# One dockerd per node (sw3_start_dockerd in common.sh).
declare -A daemon_pid
for n in "${SW3_NODES[@]}"; do
  daemon_pid[$n]=$(sw3_start_dockerd "$n")
done
for n in "${SW3_NODES[@]}"; do
  for i in $(seq 1 300); do
    sw3_docker "$n" version >/dev/null 2>&1 && break
    kill -0 "${daemon_pid[$n]}" 2>/dev/null || i=300   # it died: no point polling on
    [[ $i == 300 ]] && { echo "dockerd $n did not start; see $SW3_RUN/$n/dockerd.log" >&2; exit 1; }
    sleep 0.1
  done
done
echo "3 dockerd ready at $(sw3_since "$t0")s" >&2

m=${SW3_IP[manager1]}
sw3_docker manager1 swarm init --advertise-addr "$m" --listen-addr "$m:2377" >/dev/null
token=$(sw3_docker manager1 swarm join-token -q worker)
for n in worker1 worker2; do
  sw3_docker "$n" swarm join --token "$token" --advertise-addr "${SW3_IP[$n]}" \
    --listen-addr "${SW3_IP[$n]}:2377" "$m:2377" >/dev/null
done
echo "swarm formed at $(sw3_since "$t0")s" >&2

# The redis images and the web image (nginx:1.27.3 stand-in) side by side, waiting on these
# PIDs only (a bare `wait` would also wait for the daemons).
"$HERE/build-redis-image.sh" & redis_build=$!
"$HERE/build-web-image.sh" & web_build=$!
wait "$redis_build"
wait "$web_build"

# Wait until the manager sees both workers Ready, so a walkthrough starts from a settled swarm.
for i in $(seq 1 100); do
  ready=$(sw3_docker manager1 node ls --format '{{.Status}}' | grep -c '^Ready$' || true)
  [[ $ready == 3 ]] && break
  [[ $i == 100 ]] && { echo "nodes not Ready" >&2; exit 1; }
  sleep 0.1
done
echo "sandbox up in $(sw3_since "$t0")s" >&2
echo "DOCKER_HOST=$(sw3_sock manager1)"
