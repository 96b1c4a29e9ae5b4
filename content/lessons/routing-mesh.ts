// The routing mesh (the tenth lesson, after drain-node): a web service publishes port 8080
// on the ingress network, so every node answers on 8080, also the one that runs none of its
// tasks. Then a second port is added, a UDP port, and the UDP one removed again, which shows
// how `--publish-rm` matches ports: by target port, protocol and mode, not by published port
// (docker/cli updatePorts), so `--publish-rm 80/udp` takes the UDP port and leaves the TCP
// ones. Then a second service bypasses the mesh with `mode=host`, and both are removed.
// The web image is the pinned nginx:1.27.3 (on the real sandbox a stand-in built from
// Debian's nginx, see scripts/sandbox/build-web-image.sh).
// Reading the ports (`service ls`, `inspect`) and reaching them (`curl`) change nothing, so
// they are the page's prose, not steps: the checks read only what the spec publishes and
// which tasks run. No check needs curl (a learner in a terminal without it still finishes).
import { all, nodeAvailability, notPublishes, portsFree, publishes, serviceAbsent, serviceRunning, tasksRunning, threeNodes } from './checks.js';
import type { PortWant } from './checks.js';
import type { Check, Lesson } from './types.js';

const IMAGE = 'nginx:1.27.3';
const WEB: PortWant = { published: 8080, target: 80 };
const SECOND: PortWant = { published: 8081, target: 80 };
const UDP: PortWant = { published: 8082, target: 80, protocol: 'udp' };
const HOST: PortWant = { published: 8090, target: 80, mode: 'host' };

/**
 * A port update is done once the spec publishes what the step asks and both replicas run.
 * Not "the update completed": the tasks are replaced by the update (as on a real swarm), but
 * whether that shows as an UpdateStatus is the updater's business, and the step is about the ports.
 */
const portsUpdated = (ports: Check): Check => all(ports, tasksRunning('my-web', 2));

export const routingMesh: Lesson = {
  id: 'routing-mesh',
  setup: [],
  // Two replicas on three active nodes leave one node without a task (the point of the
  // lesson), and host mode needs two nodes free to bind 8090. Whatever an earlier lesson left
  // running (drain-node's redis) may stay, as long as it publishes none of these ports.
  requires: all(
    threeNodes,
    nodeAvailability('manager1', 'active'),
    nodeAvailability('worker1', 'active'),
    nodeAvailability('worker2', 'active'),
    serviceAbsent('my-web'),
    serviceAbsent('my-web-host'),
    portsFree(8080, 8081, 8082, 8090),
  ),
  steps: [
    {
      id: 'create',
      solution: [`docker service create --name my-web --publish published=8080,target=80 --replicas 2 ${IMAGE}`],
      check: all(serviceRunning('my-web', { replicas: 2, image: IMAGE }), publishes('my-web', WEB)),
    },
    {
      id: 'publish-add',
      solution: ['docker service update --publish-add published=8081,target=80 my-web'],
      check: portsUpdated(publishes('my-web', WEB, SECOND)),
    },
    {
      id: 'publish-udp',
      solution: ['docker service update --publish-add 8082:80/udp my-web'],
      check: portsUpdated(publishes('my-web', UDP)),
    },
    {
      id: 'publish-rm',
      solution: ['docker service update --publish-rm 80/udp my-web'],
      check: portsUpdated(all(notPublishes('my-web', UDP), publishes('my-web', WEB))),
    },
    {
      id: 'host-mode',
      solution: [`docker service create --name my-web-host --publish mode=host,published=8090,target=80 --replicas 2 ${IMAGE}`],
      check: all(serviceRunning('my-web-host', { replicas: 2, image: IMAGE }), publishes('my-web-host', HOST)),
    },
    {
      id: 'clean-up',
      solution: ['docker service rm my-web my-web-host'],
      check: all(serviceAbsent('my-web'), serviceAbsent('my-web-host')),
    },
  ],
};
