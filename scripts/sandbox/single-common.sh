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
