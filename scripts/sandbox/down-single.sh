#!/usr/bin/env bash
# Undo up-single.sh, and only what it recorded doing (in $SW1_STATE): the services Swarm Lab
# created (label io.swarm-lab.managed=true), the swarm if up-single initialised it, the image
# tags it created, and the default dockerd if it started it (then the iptables rules and the
# links that dockerd added, and its data dir if there was none before). Safe to run twice, or
# with nothing recorded (then it does nothing).
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/common.sh"
. "$HERE/single-common.sh"

[[ $(id -u) == 0 ]] || { echo "down-single.sh must run as root" >&2; exit 1; }
t0=$(sw3_now)
[[ -d $SW1_STATE ]] || { echo "single-node sandbox: nothing recorded, nothing to do" >&2; exit 0; }
mkdir -p "$SW1_CLI"

# Undoing the swarm and the images needs the daemon: one that crashed is started again (and
# then stopped below, if it was up-single that started it in the first place).
if ! sw1_docker version >/dev/null 2>&1 && [[ -e $SW1_STATE/swarm.init || -s $SW1_STATE/images ]]; then
  how=$(sw1_start_daemon)
  [[ -e $SW1_STATE/started ]] || echo "$how" >"$SW1_STATE/started.now"
  sw1_wait_daemon || true
fi

if sw1_docker version >/dev/null 2>&1; then
  if [[ -e $SW1_STATE/swarm.init ]]; then
    # Our swarm: leaving it removes its services and their tasks.
    sw1_docker swarm leave --force >/dev/null 2>&1 || true
  elif [[ $(sw1_docker info --format '{{.Swarm.ControlAvailable}}' 2>/dev/null) == true ]]; then
    # The learner's swarm: only the services Swarm Lab made.
    mapfile -t ours < <(sw1_docker service ls -q --filter "label=$SW1_LABEL")
    ((${#ours[@]})) && sw1_docker service rm "${ours[@]}" >/dev/null
  fi
  # Image tags we created; their task containers take a moment to go.
  if [[ -s $SW1_STATE/images ]]; then
    for i in $(seq 1 100); do
      left=0
      while read -r tag; do
        [[ -z $tag ]] && continue
        sw1_docker image inspect "$tag" >/dev/null 2>&1 || continue
        sw1_docker rmi "$tag" >/dev/null 2>&1 || left=1
      done <"$SW1_STATE/images"
      [[ $left == 0 ]] && break
      sleep 0.2
    done
  fi
fi

# The daemon is stopped if up-single started it, or if it was down and down-single had to start it.
[[ -e $SW1_STATE/started ]] || { [[ -e $SW1_STATE/started.now ]] && mv "$SW1_STATE/started.now" "$SW1_STATE/started"; }
if [[ -e $SW1_STATE/started ]]; then
  how=$(cat "$SW1_STATE/started")
  case $how in
    systemd) systemctl stop docker.socket docker 2>/dev/null ;;
    initd) /etc/init.d/docker stop >/dev/null ;;
    pid\ *)
      # The pid recorded first may be gone after a crash; the live one is in the pid file.
      for p in ${how#pid } $(cat /var/run/docker.pid 2>/dev/null); do
        if grep -q dockerd "/proc/$p/comm" 2>/dev/null && [[ $(awk '{ print $3 }' "/proc/$p/stat") != Z ]]; then
          kill -TERM "$p"
          for _ in $(seq 1 300); do [[ -d /proc/$p && $(awk '{ print $3 }' "/proc/$p/stat" 2>/dev/null) != Z ]] || break; sleep 0.1; done
        fi
      done
      ;;
  esac
  for _ in $(seq 1 300); do sw1_docker version >/dev/null 2>&1 || break; sleep 0.1; done
  # What that dockerd added to the machine: firewall rules and links.
  if [[ -s $SW1_STATE/iptables.before ]]; then
    # Tables that did not exist before are emptied (iptables-restore only rewrites those it is given).
    for table in nat filter; do
      grep -q "^\*$table\$" "$SW1_STATE/iptables.before" || { iptables -t "$table" -F; iptables -t "$table" -X; } 2>/dev/null
    done
    iptables-restore -c <"$SW1_STATE/iptables.before"
  fi
  if [[ -s $SW1_STATE/links.before ]]; then
    for l in docker0 docker_gwbridge; do
      grep -qx "$l" "$SW1_STATE/links.before" || ip link del "$l" 2>/dev/null
    done
  fi
  if [[ ! -e $SW1_STATE/datadir.existed && -d /var/lib/docker ]]; then
    if ! awk '$2 ~ "^/var/lib/docker(/|$)" { f = 1 } END { exit !f }' /proc/mounts; then
      rm -rf /var/lib/docker
    fi
  fi
fi

rm -rf "$SW1_STATE"
echo "single-node sandbox down in $(sw3_since "$t0")s" >&2
