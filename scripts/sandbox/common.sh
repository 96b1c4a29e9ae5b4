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
