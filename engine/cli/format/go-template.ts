// A subset of Go's text/template with docker's template functions, enough for the
// `--format` strings people use with swarm commands: field paths, variables, pipelines,
// if/else/range/with, and json/lower/upper/title/join/split/println/printf/len/index/eq…
// Errors follow Go's texts ("template: :1: function \"foo\" not defined", "… executing
// \"\" at <.Nope>: can't evaluate field Nope in type swarm.Node").
import { goJsonCompact } from './json.js';
import { goTimeString } from './time.js';

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

export interface TemplateOptions {
  /** Template name as Go reports it: "" for inspect, "version" for docker version. */
  name?: string;
  /** Go type name of the data, for "can't evaluate field X in type T". */
  rootType?: string;
  /** Fields holding Go maps: a missing key there prints `<no value>` instead of failing. */
  mapFields?: ReadonlySet<string>;
  /** Struct fields that may be absent in our JSON but exist in Go (nil pointers / omitted). */
  optionalFields?: ReadonlySet<string>;
}

/** Map-typed fields of the Engine API objects. */
export const DEFAULT_MAP_FIELDS: ReadonlySet<string> = new Set(['Labels', 'Options', 'DriverOpts', 'Limits', 'Reservations']);

/** Optional fields of engine/api/types.ts: absent in our JSON, nil or zero in Go. */
export const DEFAULT_OPTIONAL_FIELDS: ReadonlySet<string> = new Set([
  'ManagerStatus', 'PreviousSpec', 'UpdateStatus', 'ServiceStatus', 'Ports', 'VirtualIPs', 'NodeID', 'Slot',
  'Err', 'Args', 'Command', 'Env', 'Init', 'StopGracePeriod', 'DNSConfig', 'Isolation', 'Delay', 'Monitor',
  'FailureAction', 'MaxAttempts', 'Window', 'Condition', 'Cluster', 'Nodes', 'Managers', 'Replicated', 'Global',
  'Replicas', 'Constraints', 'Platforms', 'MaxReplicas', 'Resources', 'RestartPolicy', 'Placement', 'Runtime',
  'UpdateConfig', 'RollbackConfig', 'EndpointSpec', 'Name', 'Mode', 'Protocol', 'TargetPort', 'PublishedPort',
  'PublishMode', 'CompletedAt', 'ContainerStatus', 'Message', 'Leader', 'Architecture', 'OS', 'Labels',
]);

const TIME_FIELDS = new Set(['CreatedAt', 'UpdatedAt', 'Timestamp', 'StartedAt', 'CompletedAt']);

// ------------------------------------------------------------------ parse tree

type Operand =
  | { kind: 'field'; base: 'dot' | { variable: string } | Pipeline; path: string[]; pos: number; lastPos: number; text: string }
  | { kind: 'literal'; value: unknown; text: string }
  | { kind: 'func'; name: string; pos: number };

interface Command {
  operands: Operand[];
  pos: number;
}
interface Pipeline {
  decl: string[];
  commands: Command[];
  pos: number;
  text: string;
}

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'action'; pipe: Pipeline }
  | { kind: 'if' | 'with'; pipe: Pipeline; body: Node[]; elseBody: Node[] }
  | { kind: 'range'; pipe: Pipeline; body: Node[]; elseBody: Node[] };

// ------------------------------------------------------------------ functions

type Fn = (...args: unknown[]) => unknown;

const truthy = (v: unknown): boolean => {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
};

const FUNCS: Record<string, Fn> = {
  json: (v) => goJsonCompact(v),
  lower: (s) => String(s).toLowerCase(),
  upper: (s) => String(s).toUpperCase(),
  title: (s) => String(s).replace(/(^|[^\p{L}\p{N}_'])(\p{L})/gu, (_m, a: string, b: string) => a + b.toUpperCase()),
  join: (list, sep) => (Array.isArray(list) ? list.map((x) => goPrint(x)).join(String(sep)) : goPrint(list)),
  split: (s, sep) => String(s).split(String(sep)),
  pad: (s, before, after) => ' '.repeat(Number(before)) + String(s) + ' '.repeat(Number(after)),
  truncate: (s, n) => [...String(s)].slice(0, Number(n)).join(''),
  println: (...args) => args.map((a) => goPrint(a)).join(' ') + '\n',
  print: (...args) => args.map((a) => goPrint(a)).join(''),
  printf: (format, ...args) => goSprintf(String(format), args),
  len: (v) => (Array.isArray(v) || typeof v === 'string' ? v.length : v && typeof v === 'object' ? Object.keys(v).length : 0),
  index: (v, ...keys) => keys.reduce<unknown>((acc, k) => (acc as Record<string, unknown> | undefined)?.[String(k)], v),
  not: (v) => !truthy(v),
  and: (...args) => args.find((a) => !truthy(a)) ?? args[args.length - 1],
  or: (...args) => args.find((a) => truthy(a)) ?? args[args.length - 1],
  eq: (a, ...bs) => bs.some((b) => a === b),
  ne: (a, b) => a !== b,
  lt: (a, b) => (a as number) < (b as number),
  le: (a, b) => (a as number) <= (b as number),
  gt: (a, b) => (a as number) > (b as number),
  ge: (a, b) => (a as number) >= (b as number),
};

/** Go's fmt %v for JSON-shaped values: structs `{a b}`, maps `map[k:v]`, slices `[a b]`. */
export function goPrint(v: unknown, field?: string, mapFields: ReadonlySet<string> = DEFAULT_MAP_FIELDS): string {
  if (v === undefined) return '<no value>';
  if (v === null) return '<nil>';
  if (typeof v === 'string') {
    return field !== undefined && TIME_FIELDS.has(field) && /^\d{4}-\d\d-\d\dT/.test(v) ? goTimeString(v) : v;
  }
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return '[' + v.map((x) => goPrint(x, undefined, mapFields)).join(' ') + ']';
  const obj = v as Record<string, unknown>;
  if (field !== undefined && mapFields.has(field)) {
    return 'map[' + Object.keys(obj).sort().map((k) => `${k}:${goPrint(obj[k], undefined, mapFields)}`).join(' ') + ']';
  }
  return '{' + Object.entries(obj).map(([k, x]) => goPrint(x, k, mapFields)).join(' ') + '}';
}

function goSprintf(format: string, args: unknown[]): string {
  let i = 0;
  return format.replace(/%([-+ 0#]*\d*(?:\.\d+)?)([vsdqtfx%])/g, (_m, _flags: string, verb: string) => {
    if (verb === '%') return '%';
    const a = args[i++];
    if (verb === 'q') return JSON.stringify(goPrint(a));
    if (verb === 'd') return String(Math.trunc(Number(a)));
    if (verb === 'x') return Number(a).toString(16);
    return goPrint(a);
  });
}

// ------------------------------------------------------------------ lexer + parser

interface Token {
  kind: 'field' | 'var' | 'string' | 'number' | 'ident' | 'pipe' | 'lparen' | 'rparen' | 'declare' | 'comma';
  text: string;
  pos: number;
}

class Parser {
  private readonly name: string;
  constructor(
    private readonly src: string,
    name: string,
  ) {
    this.name = name;
  }

  private lineOf(pos: number): number {
    return this.src.slice(0, pos).split('\n').length;
  }

  fail(pos: number, msg: string): never {
    throw new TemplateError(`template: ${this.name}:${this.lineOf(pos)}: ${msg}`);
  }

  /** Splits the source into text and action chunks, applying trim markers. */
  chunks(): ({ kind: 'text'; text: string } | { kind: 'action'; body: string; pos: number })[] {
    const out: ({ kind: 'text'; text: string } | { kind: 'action'; body: string; pos: number })[] = [];
    let i = 0;
    let trimNext = false;
    while (i < this.src.length) {
      const open = this.src.indexOf('{{', i);
      let text = open < 0 ? this.src.slice(i) : this.src.slice(i, open);
      if (trimNext) text = text.replace(/^\s+/, '');
      trimNext = false;
      if (open < 0) {
        if (text) out.push({ kind: 'text', text });
        break;
      }
      let start = open + 2;
      if (/^-[ \t\r\n]/.test(this.src.slice(start, start + 2))) {
        text = text.replace(/\s+$/, '');
        start += 1;
      }
      if (text) out.push({ kind: 'text', text });
      const close = this.findClose(start);
      if (close < 0) this.fail(open, 'unclosed action');
      let end = close;
      if (/[ \t\r\n]-$/.test(this.src.slice(close - 2, close))) {
        end = close - 1;
        trimNext = true;
      }
      out.push({ kind: 'action', body: this.src.slice(start, end), pos: start });
      i = close + 2;
    }
    return out;
  }

  /** Index of the `}}` closing an action, skipping quoted strings. */
  private findClose(from: number): number {
    let i = from;
    while (i < this.src.length) {
      const c = this.src[i];
      if (c === '"' || c === '`') {
        const q = c;
        i++;
        while (i < this.src.length && this.src[i] !== q) {
          if (q === '"' && this.src[i] === '\\') i++;
          if (this.src[i] === '\n' && q === '"') return -1;
          i++;
        }
        i++;
        continue;
      }
      if (this.src.startsWith('}}', i)) return i;
      i++;
    }
    return -1;
  }

  tokenize(body: string, base: number): Token[] {
    const tokens: Token[] = [];
    let i = 0;
    while (i < body.length) {
      const c = body[i] as string;
      const pos = base + i;
      if (/\s/.test(c)) {
        i++;
      } else if (c === '|') {
        tokens.push({ kind: 'pipe', text: c, pos });
        i++;
      } else if (c === '(' || c === ')') {
        tokens.push({ kind: c === '(' ? 'lparen' : 'rparen', text: c, pos });
        i++;
      } else if (c === ',') {
        tokens.push({ kind: 'comma', text: c, pos });
        i++;
      } else if (body.startsWith(':=', i) || c === '=') {
        const t = body.startsWith(':=', i) ? ':=' : '=';
        tokens.push({ kind: 'declare', text: t, pos });
        i += t.length;
      } else if (c === '"' || c === '`') {
        let j = i + 1;
        while (j < body.length && body[j] !== c) j += c === '"' && body[j] === '\\' ? 2 : 1;
        if (j >= body.length) this.fail(pos, 'unterminated quoted string');
        tokens.push({ kind: 'string', text: body.slice(i, j + 1), pos });
        i = j + 1;
      } else if (c === '.' && !/[0-9]/.test(body[i + 1] ?? '')) {
        const m = /^\.[\p{L}_][\p{L}\p{N}_]*|^\./u.exec(body.slice(i)) as RegExpExecArray;
        tokens.push({ kind: 'field', text: m[0], pos });
        i += m[0].length;
      } else if (c === '$') {
        const m = /^\$[\p{L}\p{N}_]*/u.exec(body.slice(i)) as RegExpExecArray;
        tokens.push({ kind: 'var', text: m[0], pos });
        i += m[0].length;
      } else if (/[-+0-9.]/.test(c)) {
        const m = /^[-+]?(0[xX][0-9a-fA-F_]+|[0-9_]*\.?[0-9_]+(?:[eE][-+]?[0-9]+)?)/.exec(body.slice(i));
        if (!m) this.fail(pos, `bad number syntax: "${c}"`);
        tokens.push({ kind: 'number', text: m[0], pos });
        i += m[0].length;
      } else if (/[\p{L}_]/u.test(c)) {
        const m = /^[\p{L}_][\p{L}\p{N}_]*/u.exec(body.slice(i)) as RegExpExecArray;
        tokens.push({ kind: 'ident', text: m[0], pos });
        i += m[0].length;
      } else {
        this.fail(pos, `unexpected "${c}" in command`);
      }
    }
    return tokens;
  }

  parsePipeline(tokens: Token[], pos: number, text: string): Pipeline {
    let k = 0;
    const decl: string[] = [];
    // Declarations: `$x :=` or `$i, $v :=`.
    const declIdx = tokens.findIndex((t) => t.kind === 'declare');
    if (declIdx > 0 && tokens.slice(0, declIdx).every((t) => t.kind === 'var' || t.kind === 'comma')) {
      for (const t of tokens.slice(0, declIdx)) if (t.kind === 'var') decl.push(t.text);
      k = declIdx + 1;
    }
    const commands: Command[] = [];
    let current: Operand[] = [];
    let cmdPos = tokens[k]?.pos ?? pos;
    const flush = () => {
      if (current.length === 0) this.fail(cmdPos, 'missing command');
      commands.push({ operands: current, pos: cmdPos });
      current = [];
    };
    while (k < tokens.length) {
      const t = tokens[k] as Token;
      if (t.kind === 'pipe') {
        flush();
        k++;
        cmdPos = tokens[k]?.pos ?? t.pos;
        continue;
      }
      const [operand, next] = this.parseOperand(tokens, k);
      current.push(operand);
      k = next;
    }
    if (current.length > 0 || commands.length > 0) flush();
    if (commands.length === 0) this.fail(pos, 'missing value for command');
    return { decl, commands, pos, text };
  }

  private parseOperand(tokens: Token[], k: number): [Operand, number] {
    const t = tokens[k] as Token;
    const chain = (base: 'dot' | { variable: string } | Pipeline, first: string[], start: number, j: number, text: string): [Operand, number] => {
      const path = [...first];
      let lastPos = start;
      let full = text;
      while (tokens[j]?.kind === 'field' && tokens[j]?.text !== '.' && tokens[j]!.pos === lastPosEnd(tokens[j - 1]!)) {
        path.push(tokens[j]!.text.slice(1));
        lastPos = tokens[j]!.pos;
        full += tokens[j]!.text;
        j++;
      }
      return [{ kind: 'field', base, path, pos: start, lastPos, text: full }, j];
    };
    const lastPosEnd = (tok: Token) => tok.pos + tok.text.length;
    switch (t.kind) {
      case 'field':
        return chain('dot', t.text === '.' ? [] : [t.text.slice(1)], t.pos, k + 1, t.text);
      case 'var':
        return chain({ variable: t.text }, [], t.pos, k + 1, t.text);
      case 'string':
        return [{ kind: 'literal', value: t.text[0] === '`' ? t.text.slice(1, -1) : JSON.parse(t.text), text: t.text }, k + 1];
      case 'number':
        return [{ kind: 'literal', value: Number(t.text.replaceAll('_', '')), text: t.text }, k + 1];
      case 'ident':
        if (t.text === 'true' || t.text === 'false') return [{ kind: 'literal', value: t.text === 'true', text: t.text }, k + 1];
        if (t.text === 'nil') return [{ kind: 'literal', value: null, text: t.text }, k + 1];
        if (!(t.text in FUNCS)) this.fail(t.pos, `function "${t.text}" not defined`);
        return [{ kind: 'func', name: t.text, pos: t.pos }, k + 1];
      case 'lparen': {
        let depth = 0;
        let j = k;
        for (; j < tokens.length; j++) {
          if (tokens[j]!.kind === 'lparen') depth++;
          if (tokens[j]!.kind === 'rparen' && --depth === 0) break;
        }
        if (j >= tokens.length) this.fail(t.pos, 'unclosed left paren');
        const inner = this.parsePipeline(tokens.slice(k + 1, j), t.pos, '(…)');
        return chain(inner, [], t.pos, j + 1, '(…)');
      }
      default:
        this.fail(t.pos, `unexpected "${t.text}" in operand`);
    }
  }

  parse(): Node[] {
    const chunks = this.chunks();
    let idx = 0;
    const parseList = (terminators: string[]): [Node[], string, number] => {
      const nodes: Node[] = [];
      while (idx < chunks.length) {
        const chunk = chunks[idx++]!;
        if (chunk.kind === 'text') {
          nodes.push({ kind: 'text', text: chunk.text });
          continue;
        }
        const body = chunk.body.trim();
        if (body.startsWith('/*')) continue;
        const keyword = /^(if|range|with|else|end)\b/.exec(body)?.[1];
        if (keyword === 'end' || keyword === 'else') {
          if (!terminators.includes(keyword)) this.fail(chunk.pos, `unexpected {{${keyword}}}`);
          return [nodes, body, chunk.pos];
        }
        if (keyword === 'if' || keyword === 'range' || keyword === 'with') {
          const offset = chunk.body.indexOf(keyword) + keyword.length;
          const pipeSrc = chunk.body.slice(offset);
          const pipe = this.parsePipeline(this.tokenize(pipeSrc, chunk.pos + offset), chunk.pos, pipeSrc.trim());
          nodes.push(parseControl(keyword, pipe));
          continue;
        }
        if (body === '') this.fail(chunk.pos, 'missing value for command');
        nodes.push({ kind: 'action', pipe: this.parsePipeline(this.tokenize(chunk.body, chunk.pos), chunk.pos, body) });
      }
      if (terminators.length > 0) this.fail(this.src.length, 'unexpected EOF');
      return [nodes, '', this.src.length];
    };
    const parseControl = (kind: 'if' | 'range' | 'with', pipe: Pipeline): Node => {
      const [body, term, termPos] = parseList(['else', 'end']);
      let elseBody: Node[] = [];
      if (term.startsWith('else')) {
        const rest = term.slice(4).trim();
        if (rest.startsWith('if') && kind === 'if') {
          // `{{else if X}}` nests an if that shares this {{end}}.
          const elsePipe = this.parsePipeline(this.tokenize(rest.slice(2), termPos), termPos, rest.slice(2).trim());
          elseBody = [parseControl('if', elsePipe)];
          return { kind, pipe, body, elseBody };
        }
        const [eb] = parseList(['end']);
        elseBody = eb;
      }
      return { kind, pipe, body, elseBody };
    };
    return parseList([])[0];
  }
}

// ------------------------------------------------------------------ execution

class Executor {
  private out = '';
  private vars: Map<string, unknown>[] = [];
  constructor(
    private readonly src: string,
    private readonly opts: Required<TemplateOptions>,
  ) {}

  private fail(pos: number, node: string, msg: string): never {
    const before = this.src.slice(0, pos);
    const line = before.split('\n').length;
    const col = pos - (before.lastIndexOf('\n') + 1);
    const name = this.opts.name;
    throw new TemplateError(`template: ${name}:${line}:${col}: executing "${name}" at <${node}>: ${msg}`);
  }

  run(nodes: Node[], root: unknown): string {
    this.vars = [new Map([['$', root]])];
    this.walk(nodes, root);
    return this.out;
  }

  private lookupVar(name: string): unknown {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i]!.has(name)) return this.vars[i]!.get(name);
    return undefined;
  }

  private walk(nodes: Node[], dot: unknown): void {
    for (const node of nodes) {
      switch (node.kind) {
        case 'text':
          this.out += node.text;
          break;
        case 'action': {
          const v = this.pipeline(node.pipe, dot);
          if (node.pipe.decl.length === 0) this.out += this.print(v, node.pipe);
          break;
        }
        case 'if':
        case 'with': {
          this.vars.push(new Map());
          const v = this.pipeline(node.pipe, dot);
          if (truthy(v)) this.walk(node.body, node.kind === 'with' ? v : dot);
          else this.walk(node.elseBody, dot);
          this.vars.pop();
          break;
        }
        case 'range': {
          this.vars.push(new Map());
          const decl = node.pipe.decl;
          const v = this.pipeline({ ...node.pipe, decl: [] }, dot);
          const entries: [unknown, unknown][] = Array.isArray(v)
            ? v.map((x, i) => [i, x])
            : v && typeof v === 'object'
              ? Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]])
              : [];
          if (v !== null && v !== undefined && typeof v !== 'object') {
            this.fail(node.pipe.pos, node.pipe.text, `range can't iterate over ${goPrint(v)}`);
          }
          if (entries.length === 0) this.walk(node.elseBody, dot);
          for (const [key, item] of entries) {
            const scope = this.vars[this.vars.length - 1]!;
            if (decl.length === 1) scope.set(decl[0]!, item);
            if (decl.length === 2) {
              scope.set(decl[0]!, key);
              scope.set(decl[1]!, item);
            }
            this.walk(node.body, item);
          }
          this.vars.pop();
          break;
        }
      }
    }
  }

  /** Last field name of a pipeline that is a bare field chain, for %v hints (maps, times). */
  private print(v: unknown, pipe: Pipeline): string {
    const only = pipe.commands.length === 1 ? pipe.commands[0]!.operands : [];
    const op = only.length === 1 ? only[0] : undefined;
    const field = op?.kind === 'field' ? op.path[op.path.length - 1] : undefined;
    return goPrint(v, field, this.opts.mapFields);
  }

  private pipeline(pipe: Pipeline, dot: unknown): unknown {
    let value: unknown;
    let hasValue = false;
    for (const cmd of pipe.commands) {
      value = this.command(cmd, dot, hasValue ? [value] : []);
      hasValue = true;
    }
    if (pipe.decl.length > 0) this.vars[this.vars.length - 1]!.set(pipe.decl[0]!, value);
    return value;
  }

  private command(cmd: Command, dot: unknown, piped: unknown[]): unknown {
    const [first, ...rest] = cmd.operands;
    if (first?.kind === 'func') {
      const args = [...rest.map((o) => this.operand(o, dot)), ...piped];
      try {
        return FUNCS[first.name]!(...args);
      } catch (e) {
        this.fail(first.pos, first.name, `error calling ${first.name}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    if (rest.length > 0 || piped.length > 0) {
      const op = first as Exclude<Operand, { kind: 'func' }>;
      this.fail(cmd.pos, op.text, `can't give argument to non-function ${op.text}`);
    }
    return this.operand(first as Operand, dot);
  }

  private operand(op: Operand, dot: unknown): unknown {
    if (op.kind === 'literal') return op.value;
    if (op.kind === 'func') return FUNCS[op.name]!();
    let value: unknown;
    let typeName: string;
    if (op.base === 'dot') {
      value = dot;
      typeName = dot === this.lookupVar('$') ? this.opts.rootType : '';
    } else if ('variable' in op.base) {
      if (op.base.variable !== '$' && !this.vars.some((m) => m.has((op.base as { variable: string }).variable))) {
        this.fail(op.pos, op.text, `undefined variable: ${op.base.variable}`);
      }
      value = this.lookupVar(op.base.variable);
      typeName = op.base.variable === '$' ? this.opts.rootType : '';
    } else {
      value = this.pipeline(op.base, dot);
      typeName = '';
    }
    let parent = '';
    for (const field of op.path) {
      if (value === null || value === undefined) {
        if (parent !== '' && this.opts.mapFields.has(parent)) return undefined;
        this.fail(op.lastPos, op.text, `nil pointer evaluating ${typeName || 'interface {}'}.${field}`);
      }
      if (typeof value !== 'object' || Array.isArray(value)) {
        this.fail(op.lastPos, op.text, `can't evaluate field ${field} in type ${goTypeOf(value)}`);
      }
      const obj = value as Record<string, unknown>;
      if (!(field in obj)) {
        if (this.opts.mapFields.has(parent)) return undefined;
        if (!this.opts.optionalFields.has(field)) {
          this.fail(op.lastPos, op.text, `can't evaluate field ${field} in type ${typeName || 'struct'}`);
        }
      }
      value = obj[field];
      typeName = field;
      parent = field;
    }
    return value;
  }
}

function goTypeOf(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float64';
  if (Array.isArray(v)) return '[]interface {}';
  return 'interface {}';
}

export interface Template {
  execute(data: unknown): string;
}

/** Parses a Go template; throws TemplateError with Go's parse error text. */
export function parseTemplate(source: string, options: TemplateOptions = {}): Template {
  const opts: Required<TemplateOptions> = {
    name: options.name ?? '',
    rootType: options.rootType ?? 'struct',
    mapFields: options.mapFields ?? DEFAULT_MAP_FIELDS,
    optionalFields: options.optionalFields ?? DEFAULT_OPTIONAL_FIELDS,
  };
  const nodes = new Parser(source, opts.name).parse();
  return { execute: (data) => new Executor(source, opts).run(nodes, data) };
}

/** Parses and runs in one go. */
export function executeTemplate(source: string, data: unknown, options: TemplateOptions = {}): string {
  return parseTemplate(source, options).execute(data);
}
