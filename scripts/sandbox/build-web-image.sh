#!/usr/bin/env bash
# Build the routing-mesh lesson's web image, nginx:1.27.3 (and nginx:1.27, the same image ID,
# for a rolling update between two tags), without a registry: a small rootfs from Debian's
# nginx 1.22.1 binary and nginx-common's upstream welcome page (615 bytes), busybox for sh,
# `docker import`ed like build-redis-image.sh does for redis. A stand-in, not the official
# image: its `Server:` header and error pages say nginx/1.22.1; its config mirrors the
# official image's (user nginx, listen 80, root /usr/share/nginx/html, access log to stdout,
# error log to stderr, CMD nginx -g 'daemon off;', EXPOSE 80; not its STOPSIGNAL, see below).
#
# The .debs come from `apt-get download` (needs only the apt lists, `apt-get update`) and are
# unpacked with `dpkg-deb -x` into a temp dir: nothing is installed or started on the machine.
# They are kept in $SW_WEB_CACHE so later bring-ups need no network at all.
#   build-web-image.sh                 into the 3-node sandbox (manager1, then the workers)
#   build-web-image.sh --host URL      into that one daemon only (up-single.sh): tags that
#     already exist are left alone; the tags this run created are printed on stdout.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/common.sh"
t0=$(sw3_now)
TAGS=(nginx:1.27.3 nginx:1.27)
SW_WEB_CACHE=${SW_WEB_CACHE:-/var/cache/swarm-lab/web-debs}

single=
if [[ ${1:-} == --host ]]; then
  single=${2:?--host needs a daemon URL}
  work=$(mktemp -d /tmp/sw3-web.XXXXXX)
  mkdir -p "$work/cli"
  target() { DOCKER_CONFIG="$work/cli" docker -H "$single" "$@"; }
  trap 'rm -rf "$work"' EXIT
else
  work="$SW3_RUN/web-image"
  target() { sw3_docker manager1 "$@"; }
fi
[[ -x /bin/busybox ]] || { echo "missing /bin/busybox: apt-get install -y busybox-static" >&2; exit 1; }

# 1. The two packages: from the cache if it holds both, else apt-get download (and cache them).
mkdir -p "$SW_WEB_CACHE"
have() { compgen -G "$SW_WEB_CACHE/$1_*.deb" >/dev/null; }
if ! have nginx || ! have nginx-common; then
  dl=$(mktemp -d /tmp/sw3-debs.XXXXXX)
  # Sandbox::User=root: apt's _apt user cannot write into a root-owned temp dir (only a warning).
  if ! (cd "$dl" && apt-get download -q -o APT::Sandbox::User=root nginx nginx-common >/dev/null); then
    rm -rf "$dl"
    echo "apt-get download nginx nginx-common failed: run apt-get update (the apt lists are needed)" >&2
    exit 1
  fi
  rm -f "$SW_WEB_CACHE"/*.deb
  mv "$dl"/*.deb "$SW_WEB_CACHE/"
  rmdir "$dl"
fi

rm -rf "$work/rootfs" "$work/debs"; mkdir -p "$work/rootfs" "$work/debs"
for deb in "$SW_WEB_CACHE"/nginx_*.deb "$SW_WEB_CACHE"/nginx-common_*.deb; do
  dpkg-deb -x "$deb" "$work/debs"
done
nginx_bin="$work/debs/usr/sbin/nginx"
[[ -x $nginx_bin ]] || { echo "no usr/sbin/nginx in $SW_WEB_CACHE/nginx_*.deb" >&2; exit 1; }

# 2. The rootfs.
root="$work/rootfs"
mkdir -p "$root"/{bin,usr/sbin,tmp,etc/nginx/conf.d,usr/share/nginx/html,var/log/nginx,var/cache/nginx,var/lib/nginx,run,proc,sys,dev}
chmod 1777 "$root/tmp"
cp /bin/busybox "$root/bin/busybox"
# sh for CMD-SHELL health checks and `docker exec`; wget to fetch a page from inside a task.
for l in sh ls cat echo sleep ps wget true false test; do ln -s busybox "$root/bin/$l"; done
cp "$nginx_bin" "$root/usr/sbin/nginx"
# -p keeps the package's date on the page, so Last-Modified and the ETag stay the same per build.
cp -p "$work/debs/usr/share/nginx/html/index.html" "$root/usr/share/nginx/html/index.html"
cp "$work/debs/etc/nginx/mime.types" "$root/etc/nginx/mime.types"
# The official image's 50x page is nginx's own; Debian ships none, so write the same one.
cat >"$root/usr/share/nginx/html/50x.html" <<'EOF'
<!DOCTYPE html>
<html>
<head>
<title>Error</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>An error occurred.</h1>
<p>Sorry, the page you are looking for is currently unavailable.<br/>
Please try again later.</p>
<p>If you are the system administrator of this resource then you should check
the error log for details.</p>
<p><em>Faithfully yours, nginx.</em></p>
</body>
</html>
EOF
# Every shared library the binary needs, at the same path as on the host. ldd runs the host's
# loader on the unpacked binary; it is never executed as a server here.
for lib in $(ldd "$nginx_bin" | grep -v ':$' | grep -o '/[^ ]*' | sort -u); do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
# The same layout as the official image: logs are links to the container's stdout/stderr.
ln -s /dev/stdout "$root/var/log/nginx/access.log"
ln -s /dev/stderr "$root/var/log/nginx/error.log"
printf 'root:x:0:0:root:/root:/bin/sh\nnginx:x:101:101:nginx user:/nonexistent:/bin/false\n' >"$root/etc/passwd"
printf 'root:x:0:\nnginx:x:101:\n' >"$root/etc/group"
cat >"$root/etc/nginx/nginx.conf" <<'EOF'
# Swarm Lab's stand-in for the official nginx image (scripts/sandbox/build-web-image.sh):
# the same settings as its nginx.conf and conf.d/default.conf.
user  nginx;
worker_processes  auto;
error_log  /var/log/nginx/error.log notice;
pid        /run/nginx.pid;

events {
    worker_connections  1024;
}

http {
    include       /etc/nginx/mime.types;
    default_type  application/octet-stream;
    log_format  main  '$remote_addr - $remote_user [$time_local] "$request" '
                      '$status $body_bytes_sent "$http_referer" '
                      '"$http_user_agent" "$http_x_forwarded_for"';
    access_log  /var/log/nginx/access.log  main;
    client_body_temp_path /var/cache/nginx/client_temp;
    proxy_temp_path       /var/cache/nginx/proxy_temp;
    fastcgi_temp_path     /var/cache/nginx/fastcgi_temp;
    uwsgi_temp_path       /var/cache/nginx/uwsgi_temp;
    scgi_temp_path        /var/cache/nginx/scgi_temp;
    sendfile        on;
    keepalive_timeout  65;

    server {
        listen       80;
        server_name  localhost;
        location / {
            root   /usr/share/nginx/html;
            index  index.html index.htm;
        }
        error_page   500 502 503 504  /50x.html;
        location = /50x.html {
            root   /usr/share/nginx/html;
        }
    }
}
EOF
tar -C "$root" -cf "$work/rootfs.tar" .

# The official image also sets STOPSIGNAL SIGQUIT (a graceful stop); dockerd 20.10's import
# refuses that change ("stopsignal is not a valid change command"), so ours stops on SIGTERM,
# nginx's fast shutdown: the same for a learner, whose requests are never mid-flight then.
changes=(-c 'CMD ["nginx","-g","daemon off;"]' -c 'EXPOSE 80')
if [[ -n $single ]]; then
  tmp=swarm-lab-web-build:$$
  target import "${changes[@]}" "$work/rootfs.tar" "$tmp" >/dev/null
  for tag in "${TAGS[@]}"; do
    target image inspect "$tag" >/dev/null 2>&1 && continue
    target tag "$tmp" "$tag"
    echo "$tag"
  done
  target rmi "$tmp" >/dev/null
  echo "images ${TAGS[*]} ready in $(sw3_since "$t0")s" >&2
  exit 0
fi
target import "${changes[@]}" "$work/rootfs.tar" "${TAGS[0]}" >/dev/null
for tag in "${TAGS[@]:1}"; do target tag "${TAGS[0]}" "$tag"; done
target save -o "$work/web.tar" "${TAGS[@]}"

loads=()
for n in "${SW3_NODES[@]}"; do
  [[ $n == manager1 ]] && continue
  sw3_docker "$n" load -q -i "$work/web.tar" >/dev/null & loads+=($!)
done
for p in "${loads[@]}"; do wait "$p"; done
rm -rf "$work"
echo "images ${TAGS[*]} built in $(sw3_since "$t0")s" >&2
