#!/usr/bin/env bash
# The single-node sandbox, for machines that cannot create network namespaces: the machine's
# own (default) dockerd as a one-node swarm with the offline redis:7.4.0 / redis:7.4.1 and
# nginx:1.27.3 / nginx:1.27 images.
#  - starts the default dockerd if it is not running (systemd, else the init script, else
#    dockerd directly), after saving the iptables rules it is about to change;
#  - `docker swarm init` if the daemon is not in a swarm yet;
#  - builds the images offline (build-redis-image.sh, build-web-image.sh --host), leaving
#    existing tags alone.
# Everything it did is recorded in $SW1_STATE so down-single.sh undoes exactly that and leaves
# what it found. Idempotent: a second run adds nothing and keeps the first run's record.
# The last line printed is the DOCKER_HOST to use.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/common.sh"
. "$HERE/single-common.sh"

[[ $(id -u) == 0 ]] || { echo "up-single.sh must run as root" >&2; exit 1; }
command -v dockerd >/dev/null || { echo "dockerd missing: apt-get install -y docker.io" >&2; exit 1; }
t0=$(sw3_now)
mkdir -p "$SW1_STATE" "$SW1_CLI"

# 1. The daemon.
if ! sw1_docker version >/dev/null 2>&1; then
  if [[ ! -e $SW1_STATE/started ]]; then
    command -v iptables-save >/dev/null && iptables-save -c >"$SW1_STATE/iptables.before" 2>/dev/null || true
    ip -o link show | awk -F': ' '{ print $2 }' | sed 's/@.*//' >"$SW1_STATE/links.before"
    [[ -e /var/lib/docker ]] && touch "$SW1_STATE/datadir.existed"
  fi
  how=$(sw1_start_daemon)
  # Keep the first record: a rerun after a crash must still know the daemon was ours.
  [[ -e $SW1_STATE/started ]] || echo "$how" >"$SW1_STATE/started"
  sw1_wait_daemon
  echo "default dockerd started ($how) at $(sw3_since "$t0")s" >&2
fi

# 2. Swarm mode.
state=$(sw1_docker info --format '{{.Swarm.LocalNodeState}}')
case $state in
  active) ;;
  inactive)
    # A machine with several addresses needs one named; the default route's is the usual pick.
    addr=$(ip -o route get 1.1.1.1 2>/dev/null | grep -o 'src [0-9.]*' | cut -d' ' -f2 || true)
    if ! sw1_docker swarm init ${addr:+--advertise-addr "$addr"} >/dev/null 2>&1; then
      sw1_docker swarm init --advertise-addr 127.0.0.1 >/dev/null
    fi
    [[ -e $SW1_STATE/swarm.init ]] || touch "$SW1_STATE/swarm.init"
    echo "swarm initialised at $(sw3_since "$t0")s" >&2
    ;;
  *) echo "the default dockerd's swarm is $state; fix it first (docker info)" >&2; exit 1 ;;
esac
[[ $(sw1_docker info --format '{{.Swarm.ControlAvailable}}') == true ]] || {
  echo "this machine is in a swarm but not a manager: run Swarm Lab against a manager (DOCKER_HOST)" >&2
  exit 1
}

# 3. The images, only the tags that are missing.
if ! sw1_docker image inspect redis:7.4.0 redis:7.4.1 >/dev/null 2>&1; then
  "$HERE/build-redis-image.sh" --host "$SW1_HOST" >>"$SW1_STATE/images"
fi
if ! sw1_docker image inspect nginx:1.27.3 nginx:1.27 >/dev/null 2>&1; then
  "$HERE/build-web-image.sh" --host "$SW1_HOST" >>"$SW1_STATE/images"
fi
touch "$SW1_STATE/images"
sort -u -o "$SW1_STATE/images" "$SW1_STATE/images"

echo "single-node sandbox up in $(sw3_since "$t0")s" >&2
echo "DOCKER_HOST=$SW1_HOST"
