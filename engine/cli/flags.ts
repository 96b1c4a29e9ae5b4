// pflag-compatible parsing of one command's flags, with pflag's exact error texts.
// Dispatch decides what an error means (usage error, exit 125); this module only parses.
import type { FlagDef, ParsedFlags } from './command.js';
import {
  GoParseError,
  goQuote,
  goQuoteRune,
  parseBool,
  parseFloat64,
  parseGoDuration,
  parseInt64,
  parseUint,
} from './format/go-parse.js';

/** A flag-parsing failure; the message is what docker prints before the usage block. */
export class FlagError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FlagError';
  }
}

export interface FlagParseResult {
  flags: ParsedFlags;
  args: string[];
  /** -h/--help was given (cobra then prints help instead of running). */
  help: boolean;
}

type Value = boolean | number | string | string[];

/** The hidden help flag cobra adds to every command. */
export const HELP_FLAG: FlagDef = { name: 'help', short: 'h', kind: 'bool', usage: 'Print usage', hidden: true };

const isBoolKind = (def: FlagDef) => def.kind === 'bool';
const isListKind = (def: FlagDef) => def.kind === 'list' || def.kind === 'filter';

function zeroValue(def: FlagDef): Value {
  switch (def.kind) {
    case 'bool':
      return typeof def.default === 'boolean' ? def.default : false;
    case 'string':
      return typeof def.default === 'string' ? def.default : '';
    case 'list':
    case 'filter':
      return [];
    case 'duration':
      if (typeof def.default === 'string') return parseGoDuration(def.default);
      return typeof def.default === 'number' ? def.default : 0;
    default:
      return typeof def.default === 'number' ? def.default : 0;
  }
}

/** Converts one textual value the way the flag's pflag Value.Set would; throws the bare reason. */
function convert(def: FlagDef, text: string): Value {
  switch (def.kind) {
    case 'bool':
      return parseBool(text);
    case 'string':
    case 'list':
      return text;
    case 'filter':
      if (!text.includes('=')) throw new GoParseError('bad format of filter (expected name=value)');
      return text;
    case 'int':
      return parseInt64(text, def.bits ?? 64);
    case 'uint':
    case 'uint-ptr':
      return parseUint(text, def.bits ?? 64);
    case 'float':
      return parseFloat64(text);
    case 'duration':
      return parseGoDuration(text);
  }
}

function displayName(def: FlagDef): string {
  return def.short ? `-${def.short}, --${def.name}` : `--${def.name}`;
}

class FlagValues implements ParsedFlags {
  private readonly values = new Map<string, Value>();
  private readonly changedSet = new Set<string>();

  constructor(private readonly defs: Map<string, FlagDef>) {
    for (const def of defs.values()) this.values.set(def.name, zeroValue(def));
  }

  set(def: FlagDef, text: string): void {
    let value: Value;
    try {
      value = convert(def, text);
      const custom = def.validate?.(text);
      if (custom !== undefined) throw new GoParseError(custom);
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      throw new FlagError(`invalid argument ${goQuote(text)} for ${goQuote(displayName(def))} flag: ${reason}`);
    }
    if (isListKind(def)) {
      // Repeated list flags accumulate in order (opts.ListOpts / StringArray).
      const prior = this.changedSet.has(def.name) ? (this.values.get(def.name) as string[]) : [];
      this.values.set(def.name, [...prior, value as string]);
    } else {
      this.values.set(def.name, value);
    }
    this.changedSet.add(def.name);
  }

  private get(name: string): Value {
    if (!this.defs.has(name)) throw new Error(`flag accessed but not defined: ${name}`);
    return this.values.get(name) as Value;
  }

  changed(name: string): boolean {
    this.get(name);
    return this.changedSet.has(name);
  }
  bool(name: string): boolean {
    return this.get(name) === true;
  }
  string(name: string): string {
    const v = this.get(name);
    return typeof v === 'string' ? v : String(v);
  }
  int(name: string): number {
    return Number(this.get(name));
  }
  uint(name: string): number {
    return Number(this.get(name));
  }
  float(name: string): number {
    return Number(this.get(name));
  }
  duration(name: string): number {
    return Number(this.get(name));
  }
  list(name: string): string[] {
    const v = this.get(name);
    return Array.isArray(v) ? [...v] : [];
  }
}

/**
 * Parses argv (the words after the command path) against `defs` plus the help flag.
 * interspersed=true is cobra's default: flags may follow positional args. `--` ends flags.
 */
export function parseFlags(defs: readonly FlagDef[], argv: readonly string[], interspersed = true): FlagParseResult {
  const byName = new Map<string, FlagDef>();
  const byShort = new Map<string, FlagDef>();
  for (const def of [...defs, HELP_FLAG]) {
    if (byName.has(def.name)) continue;
    byName.set(def.name, def);
    if (def.short && !byShort.has(def.short)) byShort.set(def.short, def);
  }
  const values = new FlagValues(byName);
  const args: string[] = [];
  const rest = [...argv];

  while (rest.length > 0) {
    const s = rest.shift() as string;
    if (s.length <= 1 || s[0] !== '-') {
      args.push(s);
      if (!interspersed) {
        args.push(...rest);
        break;
      }
      continue;
    }
    if (s === '--') {
      args.push(...rest);
      break;
    }
    if (s[1] === '-') {
      const body = s.slice(2);
      if (body[0] === '-' || body[0] === '=') throw new FlagError(`bad flag syntax: ${s}`);
      const eq = body.indexOf('=');
      const name = eq >= 0 ? body.slice(0, eq) : body;
      const def = byName.get(name);
      if (!def) throw new FlagError(`unknown flag: --${name}`);
      if (eq >= 0) values.set(def, body.slice(eq + 1));
      else if (isBoolKind(def)) values.set(def, 'true');
      else if (rest.length > 0) values.set(def, rest.shift() as string);
      else throw new FlagError(`flag needs an argument: ${s}`);
      continue;
    }
    // One or more shorthands: -q, -dq, -n3, -n 3, -n=3, -q=false.
    let shorts = s.slice(1);
    while (shorts.length > 0) {
      const c = [...shorts][0] as string;
      const def = byShort.get(c);
      if (!def) throw new FlagError(`unknown shorthand flag: ${goQuoteRune(c)} in -${shorts}`);
      const after = shorts.slice(c.length);
      if (after.length > 1 && after[0] === '=') {
        values.set(def, after.slice(1));
        shorts = '';
      } else if (isBoolKind(def)) {
        values.set(def, 'true');
        shorts = after;
      } else if (after.length > 0) {
        values.set(def, after);
        shorts = '';
      } else if (rest.length > 0) {
        values.set(def, rest.shift() as string);
        shorts = '';
      } else {
        throw new FlagError(`flag needs an argument: ${goQuoteRune(c)} in -${shorts}`);
      }
    }
  }
  return { flags: values, args, help: values.bool('help') };
}
