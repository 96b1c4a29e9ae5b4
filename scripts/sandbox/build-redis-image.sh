#!/usr/bin/env bash
# Build redis:7.4.0 and redis:7.4.1 without a registry: a small rootfs from Debian's
# busybox-static and redis-server packages, `docker import`ed into manager1's daemon, then
# `docker save`d from manager1 and `docker load`ed into the workers (the host's own dockerd
# is never needed). Both tags share one image ID; swarm still rolls an update between them
# because the service spec's image string changes.
#   build-redis-image.sh                 into the 3-node sandbox (manager1, then the workers)
#   build-redis-image.sh --host URL      into that one daemon only (up-single.sh): a tag that
#     already exists there is left alone (it may be the learner's own image); the tags this
#     run created are printed on stdout, one a line, so down-single.sh can remove only those.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/common.sh"
t0=$(sw3_now)

single=
if [[ ${1:-} == --host ]]; then
  single=${2:?--host needs a daemon URL}
  work=$(mktemp -d /tmp/sw3-image.XXXXXX)
  # The CLI with an empty private config dir, as sw3_docker does for the sandbox.
  mkdir -p "$work/cli"
  target() { DOCKER_CONFIG="$work/cli" docker -H "$single" "$@"; }
  trap 'rm -rf "$work"' EXIT
else
  work="$SW3_RUN/image"
  target() { sw3_docker manager1 "$@"; }
fi

for b in /bin/busybox /usr/bin/redis-check-rdb /usr/bin/redis-cli; do
  [[ -x $b ]] || { echo "missing $b: apt-get install -y busybox-static redis-server" >&2; exit 1; }
done

rm -rf "$work/rootfs"; mkdir -p "$work/rootfs"
root="$work/rootfs"
mkdir -p "$root"/{bin,usr/bin,tmp,data,etc,proc,sys,dev}
chmod 1777 "$root/tmp"
cp /bin/busybox "$root/bin/busybox"
for l in sh ls cat echo sleep ps; do ln -s busybox "$root/bin/$l"; done
# Debian ships redis-server as a link to redis-check-rdb; the binary picks its mode from argv[0].
cp /usr/bin/redis-check-rdb "$root/usr/bin/redis-server"
cp /usr/bin/redis-cli "$root/usr/bin/redis-cli"
# Every shared library the two redis binaries need, at the same path as on the host.
for lib in $(ldd /usr/bin/redis-check-rdb /usr/bin/redis-cli | grep -v ':$' | grep -o '/[^ ]*' | sort -u); do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
printf 'root:x:0:0:root:/root:/bin/sh\nredis:x:999:999::/data:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\nredis:x:999:\n' >"$root/etc/group"
tar -C "$root" -cf "$work/rootfs.tar" .

if [[ -n $single ]]; then
  tmp=swarm-lab-redis-build:$$
  target import \
    -c 'CMD ["redis-server","--protected-mode","no"]' -c 'EXPOSE 6379' \
    "$work/rootfs.tar" "$tmp" >/dev/null
  for tag in redis:7.4.0 redis:7.4.1; do
    target image inspect "$tag" >/dev/null 2>&1 && continue
    target tag "$tmp" "$tag"
    echo "$tag"
  done
  target rmi "$tmp" >/dev/null
  echo "images redis:7.4.0 and redis:7.4.1 ready in $(sw3_since "$t0")s" >&2
  exit 0
fi
sw3_docker manager1 import \
  -c 'CMD ["redis-server","--protected-mode","no"]' -c 'EXPOSE 6379' \
  "$work/rootfs.tar" redis:7.4.0 >/dev/null
sw3_docker manager1 tag redis:7.4.0 redis:7.4.1
sw3_docker manager1 save -o "$work/redis.tar" redis:7.4.0 redis:7.4.1

# Load into the workers in parallel, waiting on these PIDs only (a bare `wait` would also
# wait for the daemons when sourced from up.sh).
loads=()
for n in "${SW3_NODES[@]}"; do
  [[ $n == manager1 ]] && continue
  sw3_docker "$n" load -q -i "$work/redis.tar" >/dev/null & loads+=($!)
done
for p in "${loads[@]}"; do wait "$p"; done
rm -rf "$work"
echo "images redis:7.4.0 and redis:7.4.1 built in $(sw3_since "$t0")s" >&2
