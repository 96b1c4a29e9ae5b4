// The command table of local mode: which terminal lines may run against a real daemon.
// It is checked on the parsed words BEFORE the shell or the docker CLI sees the line, so a
// refused line makes no Engine call at all. Nothing here ever spawns a process: the shell
// and the docker CLI are our own TypeScript, the line is never handed to a real shell.
// Pure (no Node built-ins): the rules can be tested on their own.
import type { CommandDef } from '../../cli/command.js';
import { FlagError, parseFlags } from '../../cli/flags.js';
import { commandTree } from '../../cli/index.js';
import { globalFlags } from '../../cli/root.js';
import { splitWords } from '../../shell/words.js';
import { checkCurlWords } from './curl-policy.js';
import { curlText } from './curl-text.js';
import { DEFAULT_IMAGES, imageAllowed } from './spec-policy.js';

export const NOT_AVAILABLE = 'not available in local mode';

/** Why a service the learner can see with their own docker CLI is "not found" here. */
export const NOT_OURS = 'local mode sees only the services Swarm Lab created; your own are left alone';

/** Why node availability never changes on the learner's own swarm. */
export const NODES_ON_OWN_DAEMON =
  'on your own Docker daemon Swarm Lab never changes a node\'s availability: draining or pausing a node moves or holds your own services\' tasks. ' +
  'Practise this step on the sandbox swarm (npm run sandbox:up) or in the simulator.';

/** Why `docker info --format` is refused on the learner's own daemon. */
const INFO_FORMAT_ON_OWN_DAEMON =
  'on your own Docker daemon a custom format could print any detail of it (proxies, labels, registries); ' +
  'plain docker info shows what the lessons use, its Swarm section included';

/** Longest terminal line accepted (a lesson line is well under 200 characters). */
export const MAX_LINE_LENGTH = 4096;

export interface PolicyOptions {
  /**
   * True when the server drives the learner's own daemon (DOCKER_HOST / default socket):
   * then even the worker join token stays on the server, node availability never changes
   * (`node update` is refused) and `docker info --format` is refused.
   */
  scoped: boolean;
  /** The images preloaded on the real swarm (default DEFAULT_IMAGES). */
  images?: ReadonlySet<string>;
  /** The page's language (`zh-CN`, `en`): curl's refusals are written in it (curl-text.ts). */
  lang?: string;
}

export type PolicyVerdict = { ok: true } | { ok: false; message: string };

const refuse = (what: string, why = NOT_AVAILABLE): PolicyVerdict => ({ ok: false, message: `${what}: ${why}` });

/** The lessons about forming a swarm: on the real swarm that already happened (sandbox:up did it). */
const FORMED =
  `${NOT_AVAILABLE}: the real swarm is already formed (npm run sandbox:up made it and joined the workers), ` +
  'and the terminal never changes its membership. Switch to the simulator to practise this step.';

/**
 * Commands refused with a reason of their own, because a lesson uses them: the learner
 * learns why and what to do instead, not just "not available".
 */
const REFUSED_WITH_REASON: ReadonlyMap<string, string> = new Map([
  ['swarm init', FORMED],
  ['swarm join', FORMED],
  ['swarm leave', FORMED],
  ['node promote', `${NOT_AVAILABLE}: node roles stay as Swarm Lab set them up (only --availability may change)`],
  ['node demote', `${NOT_AVAILABLE}: node roles stay as Swarm Lab set them up (only --availability may change)`],
  ['node rm', `${NOT_AVAILABLE}: the real swarm keeps its machines (drain a node instead: docker node update --availability drain NODE)`],
]);

/** Why an image is refused: no pulls, only what the sandbox preloaded. */
function imageRefusal(image: string, images: ReadonlySet<string>): PolicyVerdict {
  return refuse(
    `image ${image}`,
    `${NOT_AVAILABLE}: the real swarm runs only the images preloaded on it (${[...images].join(', ')}) and never pulls from a registry. ` +
      'Use one of those images here, or switch to the simulator for this step.',
  );
}

/** Every flag of the command may be used (read-only commands: they only make GET-like calls). */
const ANY = '*';

const UPDATE_CONFIG_FLAGS = ['parallelism', 'delay', 'monitor', 'failure-action', 'max-failure-ratio', 'order'].flatMap((s) => [
  `update-${s}`,
  `rollback-${s}`,
]);

/**
 * The allowed docker commands and, for those that change something, the flags they may
 * carry. Anything not listed ("run", "exec", "swarm leave", "node rm", "plugin", ...) is
 * refused. Service specs are validated again by the guard; these lists keep the refusal
 * early and readable ("--mount: not available in local mode").
 */
const COMMAND_TABLE: ReadonlyMap<string, ReadonlySet<string> | typeof ANY> = new Map<string, ReadonlySet<string> | typeof ANY>([
  ['info', ANY],
  ['version', ANY],
  ['ps', ANY],
  ['container ls', ANY],
  ['system info', ANY],
  ['node ls', ANY],
  ['node inspect', ANY],
  ['node ps', ANY],
  ['node update', new Set(['availability'])],
  ['service ls', ANY],
  ['service ps', ANY],
  ['service inspect', ANY],
  ['service logs', ANY],
  ['service create', new Set(['name', 'replicas', 'mode', 'detach', 'quiet', 'label', 'constraint', 'publish', 'no-resolve-image', ...UPDATE_CONFIG_FLAGS])],
  [
    'service update',
    new Set(['image', 'replicas', 'detach', 'quiet', 'force', 'rollback', 'constraint-add', 'constraint-rm', 'publish-add', 'publish-rm', 'no-resolve-image', ...UPDATE_CONFIG_FLAGS]),
  ],
  ['service scale', new Set(['detach'])],
  ['service rollback', new Set(['detach', 'quiet'])],
  ['service rm', new Set<string>()],
  ['swarm join-token', new Set(['quiet'])],
]);

// Dashes that look like "-" but are not: a line pasted from a web page or a word processor.
const LOOKALIKE_DASHES = /[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/;
// Control characters other than tab and the newline of a backslash continuation.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F]/;

/** Checks the raw text of a line: what must never reach even the word splitter. */
function checkText(line: string): PolicyVerdict {
  if (line.length > MAX_LINE_LENGTH) return { ok: false, message: `line too long (at most ${MAX_LINE_LENGTH} characters in local mode)` };
  if (CONTROL.test(line)) return { ok: false, message: `control characters: ${NOT_AVAILABLE}` };
  // A newline is only accepted as a backslash continuation ("\\\n"): an embedded newline
  // would otherwise smuggle a second command past a reader of the first.
  if (/(^|[^\\])\n/.test(line)) return { ok: false, message: `one command per line: ${NOT_AVAILABLE}` };
  if (line.includes('$(') || line.includes('`') || line.includes('${')) return { ok: false, message: `command substitution: ${NOT_AVAILABLE}` };
  if (LOOKALIKE_DASHES.test(line)) return { ok: false, message: `a Unicode dash (–, —, −) is not "-": type the option with ASCII hyphens` };
  return { ok: true };
}

/** Why the networks of the learner's own daemon stay unread. */
const NETWORKS_ON_OWN_DAEMON =
  'on your own Docker daemon the networks are yours (their names, containers and addresses); the sandbox swarm (npm run sandbox:up) and the simulator show them';

/**
 * `docker network ...`: the routing-mesh lesson names the ingress network, so `network ls` and
 * `network inspect ingress` are allowed on the sandbox, read-only: `inspect` of the ingress
 * network only (its Containers are the sandbox's load balancer and Swarm Lab's tasks) and
 * without --verbose (which lists every service and task on the network). Checked on the words,
 * not through the CLI's tree, so the rule holds whether or not the CLI has the commands yet.
 */
function checkNetwork(args: string[], opts: PolicyOptions): PolicyVerdict {
  const words = args.filter((w) => w !== '--help' && w !== '-h');
  if (words.length < args.length && words.every((w) => w.startsWith('-'))) return { ok: true }; // help only
  const sub = words.find((w) => !w.startsWith('-'));
  if (sub === undefined) return { ok: true }; // `docker network`: the CLI prints its usage
  const name = sub === 'list' ? 'ls' : sub;
  if (name !== 'ls' && name !== 'inspect') return refuse(`docker network ${sub}`);
  if (opts.scoped) return refuse(`docker network ${name}`, `${NOT_AVAILABLE}: ${NETWORKS_ON_OWN_DAEMON}`);
  if (name === 'ls') return { ok: true };
  const rest = args.slice(args.indexOf(sub) + 1);
  for (let i = 0; i < rest.length; i++) {
    const w = rest[i]!;
    if (w === '-f' || w === '--format') {
      i++;
      continue;
    }
    if (w.startsWith('--format=') || (w.startsWith('-f') && !w.startsWith('--'))) continue;
    if (w === '--help' || w === '-h') return { ok: true };
    if (w.startsWith('-')) return refuse(`docker network inspect ${w.split('=')[0]}`);
    if (w !== 'ingress') return refuse(`docker network inspect ${w}`, `${NOT_AVAILABLE}: only the ingress network may be inspected here (docker network inspect ingress)`);
  }
  return { ok: true };
}

const findSub = (cmd: CommandDef, word: string): CommandDef | undefined =>
  cmd.subcommands?.find((c) => c.name === word || (c.aliases ?? []).includes(word));

/** Names of the flags that were given, from a parse of `words` against `cmd`'s flags. */
function givenFlags(defs: readonly { name: string }[], flags: { changed(n: string): boolean }): string[] {
  return defs.map((d) => d.name).filter((n) => flags.changed(n));
}

function checkDocker(args: string[], opts: PolicyOptions): PolicyVerdict {
  let global;
  try {
    global = parseFlags(globalFlags, args, false);
  } catch (e) {
    // The CLI prints docker's own flag error without contacting the daemon.
    if (e instanceof FlagError) return { ok: true };
    throw e;
  }
  for (const name of ['host', 'context', 'config', 'tls', 'tlsverify', 'tlscacert', 'tlscert', 'tlskey']) {
    if (global.flags.changed(name)) return refuse(`docker --${name}`, `${NOT_AVAILABLE} (Swarm Lab chooses the daemon)`);
  }
  if (global.help || global.flags.bool('version') || global.args.length === 0) return { ok: true };
  let rest = global.args;
  if (rest[0] === 'help') return { ok: true };
  if (rest[0] === 'network') return checkNetwork(rest.slice(1), opts);

  // Walk the tree as the CLI does: group flags (only --help) may precede a subcommand.
  let cmd: CommandDef = commandTree;
  const path: string[] = [];
  while ((cmd.subcommands?.length ?? 0) > 0) {
    if (cmd !== commandTree) {
      while (rest.length > 0 && rest[0]!.length > 1 && rest[0]!.startsWith('-')) {
        if (rest[0] === '--help' || rest[0] === '-h') return { ok: true };
        rest = rest.slice(1);
      }
    }
    const word = rest[0];
    if (word === undefined) return { ok: true }; // `docker service`: help only
    const sub = findSub(cmd, word);
    if (!sub) return { ok: true }; // docker's "unknown command" error, printed by the CLI
    cmd = sub;
    path.push(sub.name);
    rest = rest.slice(1);
  }
  const key = path.join(' ');
  const allowed = COMMAND_TABLE.get(key);
  if (allowed === undefined) return refuse(`docker ${key}`, REFUSED_WITH_REASON.get(key));

  let parsed;
  try {
    parsed = parseFlags(cmd.flags ?? [], rest, cmd.interspersed ?? true);
  } catch (e) {
    if (e instanceof FlagError) return { ok: true }; // a usage error, printed by the CLI
    throw e;
  }
  if (parsed.help) return { ok: true };
  if (allowed !== ANY) {
    const bad = givenFlags(cmd.flags ?? [], parsed.flags).find((n) => !allowed.has(n));
    if (bad === 'rotate') {
      // Rotating a join token is a swarm update: it would lock out machines joined with the old one.
      return refuse('docker swarm join-token --rotate', `${NOT_AVAILABLE}: rotating join tokens changes the swarm itself, which only Swarm Lab's setup does`);
    }
    if (bad !== undefined) return refuse(`docker ${key} --${bad}`);
  }
  const images = opts.images ?? DEFAULT_IMAGES;
  // The image is checked here too (the guard checks the spec again) so the refusal names it
  // before the CLI runs, and a lesson's start state can be planned without any Engine call.
  if (key === 'service create' && parsed.args[0] !== undefined && !images.has(parsed.args[0])) return imageRefusal(parsed.args[0], images);
  if (key === 'service update' && parsed.flags.changed('image')) {
    // An update may also name the rolling-update lesson's missing tag (BROKEN_UPDATE_IMAGES).
    const image = parsed.flags.string('image');
    if (!imageAllowed(image, images, 'update')) return imageRefusal(image, images);
  }
  if (key === 'node update' && opts.scoped) return refuse('docker node update', `${NOT_AVAILABLE}: ${NODES_ON_OWN_DAEMON}`);
  if ((key === 'info' || key === 'system info') && opts.scoped && parsed.flags.changed('format')) {
    return refuse('docker info --format', `${NOT_AVAILABLE}: ${INFO_FORMAT_ON_OWN_DAEMON}`);
  }
  if (key === 'swarm join-token') {
    // The manager token lets a machine join as a manager: it never leaves the server.
    if (parsed.args[0] === 'manager') return refuse('docker swarm join-token manager', `${NOT_AVAILABLE}: the manager token would let any machine join as a manager, so it never leaves the server`);
    if (opts.scoped) return refuse('docker swarm join-token', `${NOT_AVAILABLE} on your own Docker daemon: its join tokens stay private (the sandbox swarm, npm run sandbox:up, shows the worker token)`);
  }
  if (key === 'service create' && parsed.args.length > 1) {
    // COMMAND/ARG become ContainerSpec.Args, which local mode does not allow.
    return refuse(
      'docker service create IMAGE COMMAND',
      `${NOT_AVAILABLE}: services on the real swarm run their image's own command (${[...images].join(', ')}); drop "${parsed.args.slice(1).join(' ')}"`,
    );
  }
  return { ok: true };
}

/**
 * Decides whether a terminal line may run in local mode. Refused lines must not run at
 * all; allowed lines still go through the guarded Engine API.
 */
export function checkCommandLine(line: string, opts: PolicyOptions): PolicyVerdict {
  const text = checkText(line);
  if (!text.ok) return text;
  const split = splitWords(line);
  if (split.kind === 'incomplete') return { ok: false, message: `unfinished quote or continuation: ${NOT_AVAILABLE}` };
  if (split.kind === 'operator') return refuse(`"${split.operator}"`, `${NOT_AVAILABLE} (one plain command per line)`);
  const [cmd, ...args] = split.words;
  if (cmd === undefined) return { ok: true };
  if (cmd === 'docker') return checkDocker(args, opts);
  if (cmd === 'curl') {
    // The real curl runs for this line (local-curl.ts): its words are checked here first.
    const v = checkCurlWords(args, opts.scoped);
    return v.ok ? v : { ok: false, message: curlText(opts.lang).refusal(v.refusal) };
  }
  // The shell's builtins (ssh, echo, sleep...) reach no daemon; any other word gets the
  // shell's "command not found": there is no real shell behind this one, nothing is executed.
  return { ok: true };
}
