# Shared names for the single-node sandbox (up-single.sh, down-single.sh), which uses the
# machine's own default dockerd. Its record of what it did lives outside /run so that it
# survives a reboot (a swarm init or loaded images do too).
SW1_SOCK=${SW1_SOCK:-/var/run/docker.sock}
SW1_HOST=unix://$SW1_SOCK
SW1_STATE=/var/lib/swarm-lab-single
SW1_CLI=$SW1_STATE/cli
SW1_LABEL=io.swarm-lab.managed=true
# The docker CLI with a private, empty config dir: the caller's contexts and DOCKER_* never apply.
sw1_docker() { env -u DOCKER_HOST -u DOCKER_CONTEXT -u DOCKER_TLS_VERIFY -u DOCKER_CERT_PATH \
  DOCKER_CONFIG="$SW1_CLI" docker -H "$SW1_HOST" "$@"; }

# Starts the default dockerd the way this machine starts it; prints how (systemd, initd, pid N).
sw1_start_daemon() {
  # A dockerd killed hard leaves its pid file; dockerd then refuses to start while that pid
  # still shows in /proc (a zombie where nothing reaps it). Only a file naming no live dockerd is removed.
  local pf=/var/run/docker.pid p
  if [[ -s $pf ]]; then
    p=$(cat "$pf")
    if ! grep -q dockerd "/proc/$p/comm" 2>/dev/null || [[ $(awk '{ print $3 }' "/proc/$p/stat" 2>/dev/null) == Z ]]; then
      rm -f "$pf"
    fi
  fi
  if [[ -d /run/systemd/system ]] && systemctl cat docker.service >/dev/null 2>&1; then
    systemctl start docker && echo systemd
  elif [[ -x /etc/init.d/docker ]] && /etc/init.d/docker start >/dev/null 2>&1; then
    echo initd
  else
    # No service manager that works here (e.g. a container, where the init script's ulimit fails).
    setsid dockerd </dev/null >>/var/log/swarm-lab-dockerd.log 2>&1 &
    echo "pid $!"
  fi
}

sw1_wait_daemon() {
  local i
  for i in $(seq 1 300); do
    sw1_docker version >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "the default dockerd did not start (see /var/log/docker.log or /var/log/swarm-lab-dockerd.log)" >&2
  return 1
}
