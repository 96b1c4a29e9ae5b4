// The shape of one docker CLI command, modelled on cobra/pflag as docker/cli uses them.
// Each command lives in its own module under commands/ and exports a CommandDef.
import type { CliContext } from './context.js';

export type FlagKind =
  | 'bool'
  | 'string'
  | 'int'
  | 'uint' // pflag Uint / Uint64: "strconv.ParseUint" errors
  | 'float'
  | 'duration' // Go time.ParseDuration; stored as nanoseconds
  | 'list' // repeatable, values kept in order (opts.ListOpts / StringArray / StringSlice)
  | 'filter' // -f key=value, repeatable
  | 'uint-ptr'; // docker's Uint64Opt: like uint but "changed" matters and help shows "uint"

export interface FlagDef {
  name: string;
  short?: string;
  kind: FlagKind;
  /** Type word shown in help (`string`, `uint`, `duration`, `list`, `filter`...). Derived from kind when absent. */
  valueName?: string;
  usage: string;
  /** Default value as pflag holds it; shown in help as `(default X)` when defaultText is set. */
  default?: boolean | string | number;
  /**
   * Exact text for help's `(default ...)`, when Docker shows one, verbatim after "default ":
   * include the quotes for string flags (`'"active"'` prints `(default "active")`).
   */
  defaultText?: string;
  hidden?: boolean;
  /** Integer width for int/uint kinds (pflag Uint32 etc.): decides `value out of range`. Default 64. */
  bits?: 32 | 64;
  /**
   * Extra check pflag's Value.Set would make (e.g. `--publish` syntax); return the error text
   * to print as `invalid argument "v" for "--flag" flag: <text>` (exit 125), or undefined if fine.
   */
  validate?(value: string): string | undefined;
  /** Minimum API version / swarm-only annotations don't matter here; kept out. */
}

export interface ParsedFlags {
  /** True when the flag was given on the command line (pflag's Changed). */
  changed(name: string): boolean;
  bool(name: string): boolean;
  string(name: string): string;
  int(name: string): number;
  uint(name: string): number;
  float(name: string): number;
  /** Nanoseconds. */
  duration(name: string): number;
  list(name: string): string[];
}

export interface Invocation {
  /** Positional arguments after flag parsing. */
  args: string[];
  flags: ParsedFlags;
  /** The command path as docker prints it in errors: "docker service create". */
  path: string;
}

export interface ArgsRule {
  /** Minimum number of positional args (cobra MinimumNArgs / ExactArgs). */
  min?: number;
  /** Maximum number of positional args (cobra MaximumNArgs / ExactArgs). */
  max?: number;
}

export interface CommandDef {
  /** The word typed: "create". */
  name: string;
  aliases?: string[];
  /** Usage after the command path, e.g. "[OPTIONS] IMAGE [COMMAND] [ARG...]". */
  usage: string;
  /** One-line description shown in help and parent command lists. */
  short: string;
  /** Longer description shown in the command's own help instead of `short`, when Docker has one. */
  long?: string;
  /**
   * Docker's "aliases" annotation, printed verbatim under `Aliases:` in help
   * (e.g. "docker container ls, docker container list, docker container ps, docker ps").
   * Without it help lists the command path followed by each alias under the parent's path.
   */
  aliasesText?: string;
  /** pflag SetInterspersed: false stops flag parsing at the first positional arg (service create IMAGE CMD...). Default true. */
  interspersed?: boolean;
  /** Left out of parent command lists (still runnable). */
  hidden?: boolean;
  args?: ArgsRule;
  flags?: FlagDef[];
  subcommands?: CommandDef[];
  /** Runs the command; returns the exit code. Throw ApiError / CliError for failures. */
  run?(ctx: CliContext, inv: Invocation): Promise<number>;
}

/** An error the CLI prints verbatim to stderr, with an exit status (docker's StatusError). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
