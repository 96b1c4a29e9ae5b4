// The error cases captured into test/fixtures/real/errors.json. Each runs non-TTY (separate
// stdout/stderr pipes) from a clean state: one service `redis` created with
// `-d --replicas 3 --update-delay 10s redis:7.4.0`.
const onManager = [
  'docker servic',
  'docker service foo',
  'docker service',
  'docker service create',
  'docker service update',
  'docker service create --foo redis',
  'docker service create --update-delay 10x redis',
  'docker service create --update-delay 10 redis',
  'docker service create --replicas abc redis',
  'docker service create --replicas -1 redis',
  'docker service update --update-failure-action foo redis',
  'docker service update --update-order foo redis',
  'docker service update --update-max-failure-ratio 2 redis',
  'docker service create --mode foo redis',
  "docker service create --name 'bad name' redis:7.4.0",
  'docker service create -d --name redis redis:7.4.0',
  'docker service inspect nosuch',
  'docker service inspect --pretty nosuch',
  'docker service ps nosuch',
  'docker service rm nosuch',
  'docker service update nosuch',
  'docker service rollback nosuch',
  'docker service scale nosuch=3',
  'docker service scale redis',
  'docker service scale redis=abc',
  'docker service logs nosuch',
  'docker service rollback redis',
  'docker node inspect nosuch',
  'docker node ps nosuch',
  'docker node update nosuch',
  'docker node update --availability foo manager1',
  'docker swarm init',
  'docker swarm join-token',
  'docker swarm join-token foo',
  'docker service ps -f desired-state=foo redis',
  'docker service ps -f foo=bar redis',
];
const onWorker = ['docker node ls', 'docker service ls'];

export const errorCommands = [
  ...onManager.map((command) => ({ command, node: 'manager1' })),
  ...onWorker.map((command) => ({ command, node: 'worker1' })),
];
