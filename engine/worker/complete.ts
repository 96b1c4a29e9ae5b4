// Tab completion for the lesson terminal: shell builtins, the docker command tree
// (subcommands and flags, exactly as the CLI layer defines them) and live names from the
// swarm (services, nodes, machines). Pure apart from the name lookups it is given.
import type { SwarmApi } from '../api/swarm-api.js';
import type { CommandDef, FlagDef } from '../cli/command.js';
import { loadDockerCli } from '../cli/lazy.js';

export { commonPrefix } from './common-prefix.js';

/** Live names, looked up only when the word being completed needs them. */
export interface NameSource {
  services(): Promise<string[]>;
  nodes(): Promise<string[]>;
  /** The networks of the machine the shell is on (every node has some, a worker too). */
  networks?(): Promise<string[]>;
  hostnames(): string[];
}

/**
 * Live names from the swarm the shell is on: `api` is that machine's connection (undefined
 * or failing on a worker, which has no swarm API to ask: then there is nothing to offer).
 */
export function swarmNames(api: () => SwarmApi | undefined, hostnames: () => string[]): NameSource {
  const names = async <T>(list: (a: SwarmApi) => Promise<T[]>, name: (x: T) => string): Promise<string[]> => {
    const a = api();
    return a ? list(a).then((l) => l.map(name), () => []) : [];
  };
  return {
    services: () => names((a) => a.serviceList(), (s) => s.Spec.Name),
    nodes: () => names((a) => a.nodeList(), (n) => n.Description.Hostname),
    networks: () => names((a) => a.networkList(), (n) => n.Name),
    hostnames,
  };
}

export interface Completion {
  /** The word being completed spans [start, end) of the line; end is the cursor. */
  start: number;
  end: number;
  /** Whole-word replacements, sorted. One candidate means the word is complete. */
  candidates: string[];
}

/** The shell's own commands (engine/shell/shell.ts), offered as the first word. */
export const SHELL_COMMANDS = ['clear', 'curl', 'docker', 'echo', 'exit', 'false', 'help', 'history', 'hostname', 'logout', 'sleep', 'ssh', 'true', 'whoami'];

// Which live names a leaf command takes as its positional arguments.
const SERVICE_ARGS = new Set(['service inspect', 'service logs', 'service ps', 'service rm', 'service rollback', 'service update', 'service scale']);
const NODE_ARGS = new Set(['node demote', 'node inspect', 'node promote', 'node ps', 'node rm', 'node update']);
const NETWORK_ARGS = new Set(['network inspect']);

const takesValue = (f: FlagDef): boolean => f.kind !== 'bool';

function findFlag(flags: FlagDef[], word: string): FlagDef | undefined {
  if (word.startsWith('--')) {
    const name = word.slice(2).split('=')[0];
    return flags.find((f) => f.name === name);
  }
  // -abc: only the last short flag may take a value.
  const last = word.slice(-1);
  return flags.find((f) => f.short === last);
}

function flagWords(flags: FlagDef[]): string[] {
  const words = flags.filter((f) => !f.hidden).map((f) => `--${f.name}`);
  return [...words, '--help'];
}

function subcommandNamed(cmd: CommandDef, word: string): CommandDef | undefined {
  return cmd.subcommands?.find((c) => c.name === word || (c.aliases ?? []).includes(word));
}

const visibleSubcommands = (cmd: CommandDef): string[] => (cmd.subcommands ?? []).filter((c) => !c.hidden).map((c) => c.name);

const matching = (words: Iterable<string>, prefix: string): string[] =>
  [...new Set([...words].filter((w) => w.startsWith(prefix)))].sort();

/** Completes the word that ends at `cursor`. */
export async function complete(line: string, cursor: number, names: NameSource): Promise<Completion> {
  const before = line.slice(0, cursor);
  const m = /\S*$/.exec(before)!;
  const partial = m[0];
  const start = cursor - partial.length;
  const words = before.slice(0, start).trim().split(/\s+/).filter((w) => w !== '');
  const result = (candidates: string[]): Completion => ({ start, end: cursor, candidates: matching(candidates, partial) });

  const first = words[0];
  if (first === undefined) return result(SHELL_COMMANDS);
  if (first === 'ssh') return words.length === 1 ? result(names.hostnames()) : result([]);
  if (first !== 'docker') return result([]);

  const { commandTree, globalFlags } = await loadDockerCli();
  // Walk the command tree, skipping flags (and their values) the way cobra would.
  let cmd: CommandDef = commandTree;
  const path: string[] = [];
  let positionals = 0;
  let expectValue = false;
  for (const w of words.slice(1)) {
    const flags = cmd === commandTree ? globalFlags : (cmd.flags ?? []);
    if (expectValue) {
      expectValue = false;
      continue;
    }
    if (w.startsWith('-') && w !== '-') {
      const f = findFlag(flags, w);
      expectValue = f !== undefined && takesValue(f) && !w.includes('=') && (w.startsWith('--') || w.length === 2);
      continue;
    }
    const sub = positionals === 0 ? subcommandNamed(cmd, w) : undefined;
    if (sub) {
      cmd = sub;
      path.push(sub.name);
    } else {
      positionals++;
    }
  }
  if (expectValue) return result([]);
  const flags = cmd === commandTree ? globalFlags : (cmd.flags ?? []);
  if (partial.startsWith('-')) return result(flagWords(flags));
  if (cmd.subcommands && positionals === 0) return result(visibleSubcommands(cmd));

  const key = path.join(' ');
  if (SERVICE_ARGS.has(key)) {
    const services = await names.services();
    return result(key === 'service scale' ? services.map((s) => `${s}=`) : services);
  }
  if (NODE_ARGS.has(key)) return result(await names.nodes());
  if (NETWORK_ARGS.has(key)) return result((await names.networks?.()) ?? []);
  return result([]);
}
