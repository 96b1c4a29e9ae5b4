// Names for services created without --name, in Docker's `adjective_surname` form, and a
// task's name as `docker service ps` prints it.
import type { Cluster } from './cluster.js';
import type { TaskRecord } from './model.js';
import type { Rng } from './rng.js';

/** `<service>.<slot>` for a replicated task, `<service>.<node id>` for a global one. */
export function taskName(t: TaskRecord, cluster: Cluster): string {
  const service = cluster.services.get(t.serviceId);
  return `${service?.spec.Name ?? t.serviceName}.${t.slot > 0 ? t.slot : t.nodeId}`;
}

const ADJECTIVES = [
  'admiring', 'agitated', 'amazing', 'blissful', 'bold', 'brave', 'busy', 'charming', 'clever', 'cool',
  'dazzling', 'determined', 'eager', 'ecstatic', 'elastic', 'epic', 'festive', 'focused', 'friendly', 'gallant',
  'gifted', 'happy', 'hopeful', 'hungry', 'jolly', 'keen', 'kind', 'laughing', 'loving', 'lucid',
  'modest', 'nice', 'nifty', 'optimistic', 'peaceful', 'practical', 'quirky', 'relaxed', 'serene', 'sharp',
  'silly', 'stoic', 'sweet', 'tender', 'thirsty', 'trusting', 'upbeat', 'vibrant', 'wizardly', 'zealous',
];

const SURNAMES = [
  'albattani', 'allen', 'babbage', 'banach', 'bardeen', 'bell', 'bhabha', 'bohr', 'booth', 'cannon',
  'carson', 'chandrasekhar', 'curie', 'darwin', 'dijkstra', 'einstein', 'euclid', 'feistel', 'fermi', 'feynman',
  'galileo', 'gauss', 'goldberg', 'hamilton', 'hawking', 'hopper', 'hypatia', 'johnson', 'kepler', 'knuth',
  'lamport', 'leakey', 'lovelace', 'mccarthy', 'meitner', 'mendel', 'morse', 'newton', 'noether', 'pascal',
  'payne', 'poincare', 'ritchie', 'shannon', 'sinoussi', 'tesla', 'thompson', 'turing', 'wilson', 'wright',
];

export function randomName(rng: Rng): string {
  const a = ADJECTIVES[rng.int(ADJECTIVES.length)]!;
  const s = SURNAMES[rng.int(SURNAMES.length)]!;
  return `${a}_${s}`;
}
