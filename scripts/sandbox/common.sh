# Shared names for the 3-node sandbox (sourced by up.sh, down.sh, build-redis-image.sh).
# Paths are kept short because unix socket paths are limited to 108 bytes.
SW3_RUN=/run/sw3
SW3_LIB=/var/lib/sw3
SW3_HUB=swhub
SW3_NODES=(manager1 worker1 worker2)
declare -A SW3_IP=([manager1]=198.18.0.10 [worker1]=198.18.0.11 [worker2]=198.18.0.12)
sw3_sock() { echo "unix://$SW3_RUN/$1/docker.sock"; }
# The docker CLI with a private config dir so the caller's contexts/aliases never apply.
sw3_docker() { local n=$1; shift; DOCKER_CONFIG="$SW3_RUN/cli" docker -H "$(sw3_sock "$n")" "$@"; }
sw3_now() { date +%s.%N; }
sw3_since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }'; }

# Start node $1's dockerd in its netns (nsenter, not `ip netns exec`, which remounts /sys and
# hides the cgroup v1 hierarchies; unshare --uts so `hostname` names the swarm node), in the
# background and in its own session; prints its PID (setsid/nsenter/unshare/sh all exec, so it
# is dockerd's). Used by up.sh and node.sh.
sw3_start_dockerd() {
  local n=$1 d="$SW3_RUN/$1"
  setsid nsenter --net="/run/netns/$n" unshare --uts sh -c \
    "hostname $n; exec env DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1 dockerd \
       --config-file $d/daemon.json --data-root $SW3_LIB/$n \
       --exec-root $d/exec -H unix://$d/docker.sock --pidfile $d/docker.pid \
       --cgroup-parent /sw3-$n" \
    </dev/null >>"$d/dockerd.log" 2>&1 &
  echo $!
}
