// `docker <argv>` end to end: global options, walking the command tree the way cobra does
// with docker's TraverseChildren, usage errors, help, and turning failures into docker's
// stderr texts and exit codes. Never throws.
import type { CommandDef } from './command.js';
import { CliError } from './command.js';
import type { CliContext } from './context.js';
import { isApiError } from '../api/swarm-api.js';
import { FlagError, parseFlags } from './flags.js';
import { loadTemplates } from './format/templates.js';
import { renderHelp, renderRootHelp, useLine } from './help.js';
import { rootCommand, rootHelpSections } from './root.js';
import { isUnsupported } from './unsupported.js';
import { CLIENT_GIT_COMMIT, CLIENT_VERSION } from './version-info.js';


const LOG_LEVELS = new Set(['panic', 'fatal', 'error', 'warn', 'warning', 'info', 'debug', 'trace']);

/** Exit status of cobra usage errors (docker's StatusError for flag errors). */
const USAGE_EXIT = 125;

const hasSubcommands = (cmd: CommandDef) => (cmd.subcommands?.length ?? 0) > 0;

/** Groups print `Usage:  docker node` in errors: cobra's UseLine of a bare group. */
const errorUseLine = (cmd: CommandDef, path: string) =>
  cmd === rootCommand ? 'docker [OPTIONS] COMMAND [ARG...]' : hasSubcommands(cmd) ? path : useLine(cmd, path);

function helpText(cmd: CommandDef, path: string, ctx: CliContext): string {
  return cmd === rootCommand
    ? renderRootHelp(rootCommand, rootHelpSections, ctx.columns)
    : renderHelp(cmd, path, ctx.columns);
}

function findSub(cmd: CommandDef, word: string): CommandDef | undefined {
  return cmd.subcommands?.find((c) => c.name === word || (c.aliases ?? []).includes(word));
}

const plural = (n: number) => (n === 1 ? 'argument' : 'arguments');

/** docker/cli's cli/required.go texts; undefined when the count is fine. */
export function argCountError(cmd: CommandDef, path: string, count: number): string | undefined {
  const min = cmd.args?.min;
  const max = cmd.args?.max;
  const usage = `\n\nUsage:  ${useLine(cmd, path)}\n\n`;
  const run = `Run '${path} --help' for more information`;
  if (max === 0) {
    return count > 0 ? `'${path}' accepts no arguments${usage}${run}` : undefined;
  }
  if (min !== undefined && max !== undefined && min === max) {
    return count !== min ? `'${path}' requires ${min} ${plural(min)}${usage}${run}` : undefined;
  }
  if (min !== undefined && max !== undefined) {
    return count < min || count > max
      ? `'${path}' requires at least ${min} and at most ${max} ${plural(max)}${usage}${run}`
      : undefined;
  }
  if (min !== undefined && count < min) {
    return `'${path}' requires at least ${min} ${plural(min)}${usage}See '${path} --help' for more information`;
  }
  if (max !== undefined && count > max) {
    return `'${path}' requires at most ${max} ${plural(max)}${usage}${run}`;
  }
  return undefined;
}

function usageError(ctx: CliContext, cmd: CommandDef, path: string, message: string): number {
  ctx.stderr.write(
    `${message}\n\nUsage:  ${errorUseLine(cmd, path)}\n\nRun '${path} --help' for more information\n`,
  );
  return USAGE_EXIT;
}

/** `docker help [COMMAND...]`. */
function helpTopic(ctx: CliContext, words: string[]): number {
  let cmd = rootCommand;
  let path = 'docker';
  for (const w of words) {
    const sub = findSub(cmd, w);
    if (!sub) {
      ctx.stderr.write(`unknown help topic: ${words.join(' ')}\n`);
      return 1;
    }
    cmd = sub;
    path += ' ' + sub.name;
  }
  ctx.stdout.write(helpText(cmd, path, ctx));
  return 0;
}

/** Splits the leading flags a group command owns from the words after them (cobra Traverse). */
function leadingFlags(words: string[]): [string[], string[]] {
  let i = 0;
  while (i < words.length && (words[i] as string).length > 1 && (words[i] as string).startsWith('-')) i++;
  return [words.slice(0, i), words.slice(i)];
}

async function dispatch(argv: string[], ctx: CliContext): Promise<number> {
  let global;
  try {
    global = parseFlags(rootCommand.flags ?? [], argv, false);
  } catch (e) {
    if (e instanceof FlagError) return usageError(ctx, rootCommand, 'docker', e.message);
    throw e;
  }
  if (global.help) {
    ctx.stdout.write(helpText(rootCommand, 'docker', ctx));
    return 0;
  }
  if (global.flags.bool('version')) {
    ctx.stdout.write(`Docker version ${CLIENT_VERSION}, build ${CLIENT_GIT_COMMIT}\n`);
    return 0;
  }
  const level = global.flags.string('log-level');
  if (!LOG_LEVELS.has(level.toLowerCase())) {
    ctx.stderr.write(`Unable to parse logging level: ${level}\n`);
    return 1;
  }
  // -H/--host and --context are accepted and ignored: the shell decides which node's
  // daemon this invocation talks to (ctx.api).

  let cmd = rootCommand;
  let path = 'docker';
  let rest = global.args;
  if (rest.length === 0) {
    ctx.stderr.write(helpText(rootCommand, 'docker', ctx));
    return 0;
  }
  if (rest[0] === 'help') return helpTopic(ctx, rest.slice(1));

  while (hasSubcommands(cmd)) {
    if (cmd !== rootCommand) {
      const [flagWords, after] = leadingFlags(rest);
      try {
        const parsed = parseFlags(cmd.flags ?? [], flagWords);
        if (parsed.help) {
          ctx.stdout.write(helpText(cmd, path, ctx));
          return 0;
        }
      } catch (e) {
        if (e instanceof FlagError) return usageError(ctx, cmd, path, e.message);
        throw e;
      }
      rest = after;
      if (rest.length === 0) {
        // `docker service`: full help on stderr, exit 0 (docker's ShowHelp for bare groups).
        ctx.stderr.write(helpText(cmd, path, ctx));
        return 0;
      }
    }
    const word = rest[0] as string;
    const sub = findSub(cmd, word);
    if (!sub) {
      const tail =
        cmd === rootCommand
          ? `Run 'docker --help' for more information`
          : `Usage:  ${path}\n\nRun '${path} --help' for more information`;
      ctx.stderr.write(`docker: unknown command: ${path} ${word}\n\n${tail}\n`);
      return 1;
    }
    cmd = sub;
    path += ' ' + sub.name;
    rest = rest.slice(1);
  }

  if (isUnsupported(cmd) || !cmd.run) {
    return runCommand(ctx, cmd, path, rest, parseFlags([], []).flags);
  }

  let parsed;
  try {
    parsed = parseFlags(cmd.flags ?? [], rest, cmd.interspersed ?? true);
  } catch (e) {
    if (e instanceof FlagError) return usageError(ctx, cmd, path, e.message);
    throw e;
  }
  if (parsed.help) {
    ctx.stdout.write(helpText(cmd, path, ctx));
    return 0;
  }
  const countError = argCountError(cmd, path, parsed.args.length);
  if (countError !== undefined) {
    ctx.stderr.write(`docker: ${countError}\n`);
    return 1;
  }
  return runCommand(ctx, cmd, path, parsed.args, parsed.flags);
}

async function runCommand(
  ctx: CliContext,
  cmd: CommandDef,
  path: string,
  args: string[],
  flags: ReturnType<typeof parseFlags>['flags'],
): Promise<number> {
  if (!cmd.run) {
    throw new CliError(`${path}: not implemented`);
  }
  // Commands with a --format flag may run a Go template (their default table too): its engine is a chunk of its own.
  if (cmd.flags?.some((f) => f.name === 'format')) await loadTemplates();
  return cmd.run(ctx, { args, flags, path });
}

/** Prints a failure the way docker's main does and returns its exit status. */
export function reportError(ctx: CliContext, e: unknown): number {
  if (isApiError(e)) {
    ctx.stderr.write(`Error response from daemon: ${e.message}\n`);
    return 1;
  }
  if (e instanceof CliError) {
    if (e.message !== '') ctx.stderr.write(`${e.message}\n`);
    return e.exitCode;
  }
  // Ctrl-C while a request waited: docker's main prints nothing for a cancelled context, and
  // its signal handling exits 130.
  if (e instanceof Error && e.name === 'AbortError') return 130;
  const message = e instanceof Error ? e.message : String(e);
  ctx.stderr.write(`${message}\n`);
  return 1;
}

/** Runs `docker <argv>` (argv excludes "docker") and returns the exit status. Never throws. */
export async function runDocker(argv: string[], ctx: CliContext): Promise<number> {
  try {
    return await dispatch(argv, ctx);
  } catch (e) {
    return reportError(ctx, e);
  }
}
