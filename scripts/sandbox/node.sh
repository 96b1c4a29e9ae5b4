#!/usr/bin/env bash
# Stop or start one sandbox node's dockerd, as `systemctl stop docker` / `systemctl start
# docker` would on a machine of its own: the failure injections of issue 17, for
# scripts/capture-real.mjs. The netns and the data stay; the node keeps its swarm identity.
#   node.sh stop NODE    SIGTERM its dockerd and wait until it has exited (it stops its
#                        containers first); prints the seconds it took
#   node.sh start NODE   start its dockerd again and wait until it answers; prints the seconds
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/common.sh"
[[ $(id -u) == 0 ]] || { echo "node.sh must run as root" >&2; exit 1; }
action=${1:-}; n=${2:-}
[[ -n ${SW3_IP[$n]:-} ]] || { echo "usage: node.sh stop|start manager1|worker1|worker2" >&2; exit 2; }
t0=$(sw3_now)
pidfile="$SW3_RUN/$n/docker.pid"

running_pid() {
  [[ -s $pidfile ]] || return 1
  local p; p=$(cat "$pidfile")
  kill -0 "$p" 2>/dev/null && grep -q dockerd "/proc/$p/comm" 2>/dev/null && echo "$p"
}

case $action in
  stop)
    p=$(running_pid) || { echo "dockerd $n is not running" >&2; exit 1; }
    kill -TERM "$p"
    for _ in $(seq 1 600); do kill -0 "$p" 2>/dev/null || break; sleep 0.05; done
    kill -0 "$p" 2>/dev/null && { echo "dockerd $n did not stop" >&2; exit 1; }
    ;;
  start)
    running_pid >/dev/null && { echo "dockerd $n is already running" >&2; exit 1; }
    p=$(sw3_start_dockerd "$n")
    for i in $(seq 1 600); do
      sw3_docker "$n" version >/dev/null 2>&1 && break
      kill -0 "$p" 2>/dev/null || i=600
      [[ $i == 600 ]] && { echo "dockerd $n did not start; see $SW3_RUN/$n/dockerd.log" >&2; exit 1; }
      sleep 0.05
    done
    ;;
  *) echo "usage: node.sh stop|start NODE" >&2; exit 2 ;;
esac
sw3_since "$t0"
echo
