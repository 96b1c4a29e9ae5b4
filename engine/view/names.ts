// Reading a view model back the way a table prints it. Its own module: the page uses it
// without loading the derivation (and the CLI helpers it takes its words from).
import type { SwarmViewModel } from './model.js';

/** The node names `docker service ps` prints in its NODE column, by node ID ('' for a pending task). */
export function nodeNames(model: SwarmViewModel): (id: string) => string {
  const names = new Map(model.nodes.map((n) => [n.id, n.name]));
  return (id) => (id === '' ? '' : (names.get(id) ?? id));
}
