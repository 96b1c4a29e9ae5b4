#!/usr/bin/env bash
# Tear down the 3-node sandbox made by up.sh: daemons, their containers, netns, leftover
# mounts, cgroup dirs and state dirs. Safe to run when nothing (or half of it) exists,
# e.g. after a crash. It only touches /run/sw3, /var/lib/sw3, the sw3-* cgroups and the
# swhub/manager1/worker1/worker2 network namespaces: never the machine's own dockerd.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# --single: the one-node variant on the machine's own dockerd (down-single.sh).
[[ ${1:-} == --single ]] && exec "$HERE/down-single.sh"
. "$HERE/common.sh"
t0=$(sw3_now)

# 1. Ask each dockerd to stop (it stops its containers and its managed containerd).
pids=()
for n in "${SW3_NODES[@]}"; do
  f="$SW3_RUN/$n/docker.pid"
  if [[ -s $f ]]; then
    p=$(cat "$f")
    if kill -0 "$p" 2>/dev/null && grep -q dockerd "/proc/$p/comm" 2>/dev/null; then
      kill -TERM "$p" && pids+=("$p")
    fi
  fi
done
for _ in $(seq 1 300); do
  alive=0
  for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
  [[ $alive == 0 ]] && break
  sleep 0.1
done
for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && kill -KILL "$p" 2>/dev/null; done

# 2. Anything left from a crash: processes inside our netns (containerd, shims) and in our
#    cgroups (container processes). Killed by PID, found only through our own namespaces/cgroups.
sw3_leftover_pids() {
  for n in "${SW3_NODES[@]}" "$SW3_HUB"; do
    [[ -e /run/netns/$n ]] && ip netns pids "$n" 2>/dev/null
  done
  for d in /sys/fs/cgroup/*/sw3-* /sys/fs/cgroup/sw3-*; do
    [[ -d $d ]] && find "$d" -name cgroup.procs -exec cat {} + 2>/dev/null
  done
}
for sig in TERM KILL; do
  left=$(sw3_leftover_pids | sort -un)
  [[ -z $left ]] && break
  for p in $left; do kill "-$sig" "$p" 2>/dev/null; done
  for _ in $(seq 1 50); do
    still=0; for p in $left; do kill -0 "$p" 2>/dev/null && still=1; done
    [[ $still == 0 ]] && break
    sleep 0.1
  done
done

# 3. Network namespaces (deleting a netns also removes its veth ends and bridge).
for n in "${SW3_NODES[@]}" "$SW3_HUB"; do
  [[ -e /run/netns/$n ]] && ip netns del "$n"
done

# 4. Safety net: the daemons run in the root mount namespace, so a crash leaves overlay,
#    shm and netns bind mounts behind. Unmount deepest first.
mapfile -t mnts < <(awk -v a="$SW3_RUN" -v b="$SW3_LIB" \
  '{ m = $2; gsub(/\\040/, " ", m); if (index(m, a "/") == 1 || m == a || index(m, b "/") == 1 || m == b) print m }' \
  /proc/mounts | awk '{ print length($0) "\t" $0 }' | sort -rn | cut -f2-)
for m in "${mnts[@]}"; do umount -l "$m" 2>/dev/null; done

# 5. cgroup dirs made through --cgroup-parent /sw3-<node> (depth-first; rmdir only empties).
for d in /sys/fs/cgroup/*/sw3-* /sys/fs/cgroup/sw3-*; do
  [[ -d $d ]] && find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null
done

# 6. State dirs, only once nothing is mounted below them any more.
if awk -v a="$SW3_RUN" -v b="$SW3_LIB" 'index($2, a) == 1 || index($2, b) == 1 { f = 1 } END { exit !f }' /proc/mounts; then
  echo "down.sh: mounts remain under $SW3_RUN or $SW3_LIB; not removing them" >&2
  exit 1
fi
rm -rf "$SW3_LIB" "$SW3_RUN"
echo "sandbox down in $(sw3_since "$t0")s" >&2
