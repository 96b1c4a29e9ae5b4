// Go's text/template with docker's template functions, as docker CLI 28.2.2 (go1.24) runs
// `--format`: Go's lexer and parser (and their error texts), and an executor over typed Go
// values (go-types.ts) so that a field the JSON left out is its Go zero value, a field Go does not
// have is "can't evaluate field X in type T", a function given the wrong arguments fails as Go's
// reflection does, and every value prints through Go's fmt (go-fmt.ts). No JavaScript value
// (undefined, NaN, [object Object]) can reach the output: anything the executor meets is a Go
// value or an error with Go's text.
import type { GoType, GoValue } from './go-types.js';
import {
  byteLength,
  bytesString,
  decodeRune,
  deref,
  displayString,
  fieldByPath,
  fieldsOf,
  findField,
  findMethod,
  GoCallError,
  goBool,
  goFloat,
  goInt,
  goString,
  indexValue,
  indirect,
  indirectInterface,
  INVALID,
  isFloatKind,
  isIntKind,
  isNil,
  isNillable,
  isUintKind,
  mapKeys,
  mapOf,
  mapValue,
  rootType,
  sliceLen,
  sliceOf,
  stringBytes,
  T,
  typeOf,
  val,
  wrapInt,
  zero,
  field as goField,
  structType,
  SUB_HEADER_T,
} from './go-types.js';
import { marshalJSON, quote, sprint, sprintf, sprintln, unquote } from './go-fmt.js';
import { goJsonCompact } from './json.js';

import { TemplateError } from './template-error.js';
export { TemplateError };

export interface TemplateOptions {
  /** Template name as Go reports it: "" for inspect and ls, "version" for docker version. */
  name?: string;
  /** Go type of the data (`swarm.Node`, `*node.nodeContext`, …), for fields and errors. */
  rootType?: string;
}

/** Output a template may produce before execution stops (a terminal cannot take gigabytes). */
const OUTPUT_LIMIT = 1024 * 1024;
/** Range iterations and template calls a single execution may make. */
const STEP_LIMIT = 1_000_000;

// ================================================================== lexer

type ItemType =
  | 'error'
  | 'bool'
  | 'char'
  | 'charConstant'
  | 'complex'
  | 'assign'
  | 'declare'
  | 'eof'
  | 'field'
  | 'identifier'
  | 'leftDelim'
  | 'leftParen'
  | 'number'
  | 'pipe'
  | 'rawString'
  | 'rightDelim'
  | 'rightParen'
  | 'space'
  | 'string'
  | 'text'
  | 'variable'
  // keywords
  | 'block'
  | 'break'
  | 'continue'
  | 'dot'
  | 'define'
  | 'else'
  | 'end'
  | 'if'
  | 'nil'
  | 'range'
  | 'template'
  | 'with';

const KEYWORDS: Record<string, ItemType> = {
  '.': 'dot',
  block: 'block',
  break: 'break',
  continue: 'continue',
  define: 'define',
  else: 'else',
  end: 'end',
  if: 'if',
  range: 'range',
  nil: 'nil',
  template: 'template',
  with: 'with',
};
const isKeyword = (t: ItemType) => Object.values(KEYWORDS).includes(t);

interface Item {
  typ: ItemType;
  pos: number;
  val: string;
  line: number;
}

/** item.String(): how Go names a token in "unexpected X in Y". */
function itemString(i: Item): string {
  if (i.typ === 'eof') return 'EOF';
  if (i.typ === 'error') return i.val;
  if (isKeyword(i.typ)) return `<${i.val}>`;
  if ([...i.val].length > 10) return quote([...i.val].slice(0, 10).join('')) + '...';
  return quote(i.val);
}

const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isAlphaNumeric = (c: string | undefined) => c !== undefined && (c === '_' || /^[\p{L}\p{Nd}]$/u.test(c));
/** %#U of a rune. */
const hashU = (c: string) => {
  const r = c.codePointAt(0)!;
  const hex = 'U+' + r.toString(16).toUpperCase().padStart(4, '0');
  return /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(c) ? `${hex} '${c}'` : hex;
};

class Lexer {
  private pos = 0;
  private start = 0;
  private atEOF = false;
  private parenDepth = 0;
  private line = 1;
  private startLine = 1;
  private item: Item = { typ: 'eof', pos: 0, val: 'EOF', line: 1 };
  private insideAction = false;

  constructor(private input: string) {}

  private next(): string | undefined {
    if (this.pos >= this.input.length) {
      this.atEOF = true;
      return undefined;
    }
    const c = String.fromCodePoint(this.input.codePointAt(this.pos)!);
    this.pos += c.length;
    if (c === '\n') this.line++;
    return c;
  }

  private peek(): string | undefined {
    const c = this.next();
    this.backup();
    return c;
  }

  private backup(): void {
    if (!this.atEOF && this.pos > 0) {
      const code = this.input.charCodeAt(this.pos - 1);
      const w = code >= 0xdc00 && code <= 0xdfff && this.pos > 1 && /[\ud800-\udbff]/.test(this.input[this.pos - 2]!) ? 2 : 1;
      this.pos -= w;
      if (this.input[this.pos] === '\n') this.line--;
    }
    this.atEOF = false;
  }

  private thisItem(t: ItemType): Item {
    const i = { typ: t, pos: this.start, val: this.input.slice(this.start, this.pos), line: this.startLine };
    this.start = this.pos;
    this.startLine = this.line;
    return i;
  }

  private emit(t: ItemType): null {
    this.item = this.thisItem(t);
    return null;
  }

  private ignore(): void {
    this.line += countNewlines(this.input.slice(this.start, this.pos));
    this.start = this.pos;
    this.startLine = this.line;
  }

  private accept(valid: string): boolean {
    const c = this.next();
    if (c !== undefined && valid.includes(c)) return true;
    this.backup();
    return false;
  }

  private acceptRun(valid: string): void {
    for (;;) {
      const c = this.next();
      if (c === undefined || !valid.includes(c)) break;
    }
    this.backup();
  }

  private errorf(msg: string): null {
    this.item = { typ: 'error', pos: this.start, val: msg, line: this.startLine };
    this.start = 0;
    this.pos = 0;
    this.input = '';
    return null;
  }

  nextItem(): Item {
    this.item = { typ: 'eof', pos: this.pos, val: 'EOF', line: this.startLine };
    let state: (() => unknown) | null = this.insideAction ? this.lexInsideAction : this.lexText;
    while (state) state = state.call(this) as (() => unknown) | null;
    return this.item;
  }

  private hasLeftTrimMarker = (at: number) => this.input[at] === '-' && isSpace(this.input[at + 1]);
  private hasRightTrimMarker = (at: number) => isSpace(this.input[at]) && this.input[at + 1] === '-';

  private lexText(): (() => unknown) | null {
    const x = this.input.indexOf('{{', this.pos);
    if (x >= 0) {
      if (x > this.pos) {
        this.pos = x;
        let trimLength = 0;
        if (this.hasLeftTrimMarker(this.pos + 2)) {
          const text = this.input.slice(this.start, this.pos);
          trimLength = text.length - text.replace(/[ \t\r\n]+$/, '').length;
        }
        this.pos -= trimLength;
        this.line += countNewlines(this.input.slice(this.start, this.pos));
        const i = this.thisItem('text');
        this.pos += trimLength;
        this.ignore();
        if (i.val.length > 0) {
          this.item = i;
          return null;
        }
      }
      return this.lexLeftDelim;
    }
    this.pos = this.input.length;
    if (this.pos > this.start) {
      this.line += countNewlines(this.input.slice(this.start, this.pos));
      return this.emit('text');
    }
    return this.emit('eof');
  }

  private atRightDelim(): [boolean, boolean] {
    if (this.hasRightTrimMarker(this.pos) && this.input.startsWith('}}', this.pos + 2)) return [true, true];
    if (this.input.startsWith('}}', this.pos)) return [true, false];
    return [false, false];
  }

  private lexLeftDelim(): (() => unknown) | null {
    this.pos += 2;
    const trimSpace = this.hasLeftTrimMarker(this.pos);
    const afterMarker = trimSpace ? 2 : 0;
    if (this.input.startsWith('/*', this.pos + afterMarker)) {
      this.pos += afterMarker;
      this.ignore();
      return this.lexComment;
    }
    const i = this.thisItem('leftDelim');
    this.insideAction = true;
    this.pos += afterMarker;
    this.ignore();
    this.parenDepth = 0;
    this.item = i;
    return null;
  }

  private lexComment(): (() => unknown) | null {
    this.pos += 2;
    const x = this.input.indexOf('*/', this.pos);
    if (x < 0) return this.errorf('unclosed comment');
    this.pos = x + 2;
    const [delim, trimSpace] = this.atRightDelim();
    if (!delim) return this.errorf('comment ends before closing delimiter');
    this.line += countNewlines(this.input.slice(this.start, this.pos));
    this.thisItem('text');
    if (trimSpace) this.pos += 2;
    this.pos += 2;
    if (trimSpace) this.pos += this.leftTrimLength();
    this.ignore();
    return this.lexText;
  }

  private leftTrimLength(): number {
    const rest = this.input.slice(this.pos);
    return rest.length - rest.replace(/^[ \t\r\n]+/, '').length;
  }

  private lexRightDelim(): (() => unknown) | null {
    const [, trimSpace] = this.atRightDelim();
    if (trimSpace) {
      this.pos += 2;
      this.ignore();
    }
    this.pos += 2;
    const i = this.thisItem('rightDelim');
    if (trimSpace) {
      this.pos += this.leftTrimLength();
      this.ignore();
    }
    this.insideAction = false;
    this.item = i;
    return null;
  }

  private lexInsideAction(): (() => unknown) | null {
    const [delim] = this.atRightDelim();
    if (delim) {
      if (this.parenDepth === 0) return this.lexRightDelim;
      return this.errorf('unclosed left paren');
    }
    const r = this.next();
    if (r === undefined) return this.errorf('unclosed action');
    if (isSpace(r)) {
      this.backup();
      return this.lexSpace;
    }
    switch (r) {
      case '=':
        return this.emit('assign');
      case ':':
        if (this.next() !== '=') return this.errorf('expected :=');
        return this.emit('declare');
      case '|':
        return this.emit('pipe');
      case '"':
        return this.lexQuote;
      case '`':
        return this.lexRawQuote;
      case '$':
        return this.lexVariable;
      case "'":
        return this.lexChar;
      case '(':
        this.parenDepth++;
        return this.emit('leftParen');
      case ')':
        this.parenDepth--;
        if (this.parenDepth < 0) return this.errorf('unexpected right paren');
        return this.emit('rightParen');
    }
    if (r === '.') {
      const c = this.input[this.pos];
      if (this.pos < this.input.length && (c! < '0' || c! > '9')) return this.lexField;
    }
    if (r === '.' || r === '+' || r === '-' || (r >= '0' && r <= '9')) {
      this.backup();
      return this.lexNumber;
    }
    if (isAlphaNumeric(r)) {
      this.backup();
      return this.lexIdentifier;
    }
    if (r.codePointAt(0)! <= 0x7f && /^[\x20-\x7e]$/.test(r)) return this.emit('char');
    return this.errorf(`unrecognized character in action: ${hashU(r)}`);
  }

  private lexSpace(): (() => unknown) | null {
    let numSpaces = 0;
    for (;;) {
      const r = this.peek();
      if (!isSpace(r)) break;
      this.next();
      numSpaces++;
    }
    if (this.hasRightTrimMarker(this.pos - 1) && this.input.startsWith('}}', this.pos + 1)) {
      this.backup();
      if (numSpaces === 1) return this.lexRightDelim;
    }
    return this.emit('space');
  }

  private lexIdentifier(): (() => unknown) | null {
    for (;;) {
      const r = this.next();
      if (isAlphaNumeric(r)) continue;
      this.backup();
      const word = this.input.slice(this.start, this.pos);
      if (!this.atTerminator()) return this.errorf(`bad character ${hashU(r ?? '\ufffd')}`);
      const kw = KEYWORDS[word];
      if (kw && kw !== 'dot') return this.emit(kw);
      if (word[0] === '.') return this.emit('field');
      if (word === 'true' || word === 'false') return this.emit('bool');
      return this.emit('identifier');
    }
  }

  private lexField(): (() => unknown) | null {
    return this.lexFieldOrVariable('field');
  }

  private lexVariable(): (() => unknown) | null {
    if (this.atTerminator()) return this.emit('variable');
    return this.lexFieldOrVariable('variable');
  }

  private lexFieldOrVariable(typ: ItemType): (() => unknown) | null {
    if (this.atTerminator()) return this.emit(typ === 'variable' ? 'variable' : 'dot');
    let r: string | undefined;
    for (;;) {
      r = this.next();
      if (!isAlphaNumeric(r)) {
        this.backup();
        break;
      }
    }
    if (!this.atTerminator()) return this.errorf(`bad character ${hashU(r ?? '\ufffd')}`);
    return this.emit(typ);
  }

  private atTerminator(): boolean {
    const r = this.peek();
    if (isSpace(r)) return true;
    if (r === undefined || '.,|:)('.includes(r)) return true;
    return this.input.startsWith('}}', this.pos);
  }

  private lexChar(): (() => unknown) | null {
    return this.lexEscaped("'", 'charConstant', 'unterminated character constant');
  }

  /** A quoted token with backslash escapes, on one line (Go's lexChar and lexQuote). */
  private lexEscaped(close: string, kind: 'charConstant' | 'string', unterminated: string): (() => unknown) | null {
    for (;;) {
      const c = this.next();
      if (c === '\\') {
        const r = this.next();
        if (r !== undefined && r !== '\n') continue;
        return this.errorf(unterminated);
      }
      if (c === undefined || c === '\n') return this.errorf(unterminated);
      if (c === close) break;
    }
    return this.emit(kind);
  }

  private lexNumber(): (() => unknown) | null {
    if (!this.scanNumber()) return this.errorf(`bad number syntax: ${quote(this.input.slice(this.start, this.pos))}`);
    const sign = this.peek();
    if (sign === '+' || sign === '-') {
      if (!this.scanNumber() || this.input[this.pos - 1] !== 'i') return this.errorf(`bad number syntax: ${quote(this.input.slice(this.start, this.pos))}`);
      return this.emit('complex');
    }
    return this.emit('number');
  }

  private scanNumber(): boolean {
    this.accept('+-');
    const DECIMAL = '0123456789_';
    const HEX = '0123456789abcdefABCDEF_';
    let digits = DECIMAL;
    if (this.accept('0')) {
      if (this.accept('xX')) digits = HEX;
      else if (this.accept('oO')) digits = '01234567_';
      else if (this.accept('bB')) digits = '01_';
    }
    this.acceptRun(digits);
    if (this.accept('.')) this.acceptRun(digits);
    if (digits === DECIMAL && this.accept('eE')) {
      this.accept('+-');
      this.acceptRun('0123456789_');
    }
    if (digits === HEX && this.accept('pP')) {
      this.accept('+-');
      this.acceptRun('0123456789_');
    }
    this.accept('i');
    if (isAlphaNumeric(this.peek())) {
      this.next();
      return false;
    }
    return true;
  }

  private lexQuote(): (() => unknown) | null {
    return this.lexEscaped('"', 'string', 'unterminated quoted string');
  }

  private lexRawQuote(): (() => unknown) | null {
    for (;;) {
      const c = this.next();
      if (c === undefined) return this.errorf('unterminated raw quoted string');
      if (c === '`') break;
    }
    return this.emit('rawString');
  }
}

const countNewlines = (s: string) => {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
};

// ================================================================== parse tree

interface NumberNode {
  type: 'number';
  pos: number;
  text: string;
  isInt: boolean;
  isUint: boolean;
  isFloat: boolean;
  isComplex: boolean;
  int64: bigint;
  uint64: bigint;
  float64: number;
  complex: { re: number; im: number };
}

interface PipeNode {
  type: 'pipe';
  pos: number;
  line: number;
  isAssign: boolean;
  decl: VariableNode[];
  cmds: CommandNode[];
}
interface CommandNode {
  type: 'command';
  pos: number;
  args: Node[];
}
interface VariableNode {
  type: 'variable';
  pos: number;
  ident: string[];
}
interface ListNode {
  type: 'list';
  pos: number;
  nodes: Node[];
}
interface BranchNode {
  type: 'if' | 'range' | 'with';
  pos: number;
  line: number;
  pipe: PipeNode;
  list: ListNode;
  elseList: ListNode | null;
}

type Node =
  | { type: 'text'; pos: number; text: string }
  | { type: 'action'; pos: number; line: number; pipe: PipeNode }
  | BranchNode
  | { type: 'template'; pos: number; line: number; name: string; pipe: PipeNode | null }
  | { type: 'break' | 'continue'; pos: number; line: number }
  | ListNode
  | PipeNode
  | CommandNode
  | { type: 'field'; pos: number; ident: string[] }
  | VariableNode
  | { type: 'chain'; pos: number; node: Node; field: string[] }
  | { type: 'identifier'; pos: number; ident: string }
  | { type: 'dot' | 'nil'; pos: number }
  | { type: 'bool'; pos: number; value: boolean }
  | NumberNode
  | { type: 'string'; pos: number; quoted: string; text: string }
  | { type: 'end' | 'else'; pos: number; line: number };

/** Node.String(): the text Go shows in `at <…>`. */
function nodeString(n: Node): string {
  switch (n.type) {
    case 'text':
      return n.text;
    case 'action':
      return `{{${nodeString(n.pipe)}}}`;
    case 'if':
    case 'range':
    case 'with':
      return `{{${n.type} ${nodeString(n.pipe)}}}${nodeString(n.list)}${n.elseList ? `{{else}}${nodeString(n.elseList)}` : ''}{{end}}`;
    case 'template':
      return `{{template ${quote(n.name)}${n.pipe ? ' ' + nodeString(n.pipe) : ''}}}`;
    case 'break':
      return '{{break}}';
    case 'continue':
      return '{{continue}}';
    case 'list':
      return n.nodes.map(nodeString).join('');
    case 'pipe': {
      let s = '';
      if (n.decl.length > 0) s = n.decl.map(nodeString).join(', ') + (n.isAssign ? ' = ' : ' := ');
      return s + n.cmds.map(nodeString).join(' | ');
    }
    case 'command':
      return n.args.map((a) => (a.type === 'pipe' ? `(${nodeString(a)})` : nodeString(a))).join(' ');
    case 'field':
      return n.ident.map((i) => '.' + i).join('');
    case 'variable':
      return n.ident.join('.');
    case 'chain':
      return (n.node.type === 'pipe' ? `(${nodeString(n.node)})` : nodeString(n.node)) + n.field.map((f) => '.' + f).join('');
    case 'identifier':
      return n.ident;
    case 'dot':
      return '.';
    case 'nil':
      return 'nil';
    case 'bool':
      return n.value ? 'true' : 'false';
    case 'number':
      return n.text;
    case 'string':
      return n.quoted;
    case 'end':
      return '{{end}}';
    case 'else':
      return '{{else}}';
  }
}

// ------------------------------------------------------------------ numbers

/** strconv.ParseUint/ParseInt(s, 0, 64): [value, ok]; rejects what Go's syntax rejects. */
function parseGoInt(s: string, signed: boolean): bigint | undefined {
  let neg = false;
  let t = s;
  if (signed && (t[0] === '+' || t[0] === '-')) {
    neg = t[0] === '-';
    t = t.slice(1);
  }
  if (!underscoreOK(s)) return undefined;
  t = t.replaceAll('_', '');
  let base = 10;
  if (t.length > 1 && t[0] === '0') {
    const p = t[1]!.toLowerCase();
    if (p === 'x') (base = 16), (t = t.slice(2));
    else if (p === 'o') (base = 8), (t = t.slice(2));
    else if (p === 'b') (base = 2), (t = t.slice(2));
    else (base = 8), (t = t.slice(1));
  }
  const valid = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-fA-F]+$/ }[base as 2 | 8 | 10 | 16];
  if (!valid.test(t)) return undefined;
  const prefix = { 2: '0b', 8: '0o', 10: '', 16: '0x' }[base as 2 | 8 | 10 | 16];
  let v = BigInt(prefix + t);
  if (neg) v = -v;
  if (signed ? v < -(2n ** 63n) || v >= 2n ** 63n : v >= 2n ** 64n) return undefined;
  return v;
}

function underscoreOK(s: string): boolean {
  let saw = '^';
  let i = 0;
  if (s[0] === '-' || s[0] === '+') s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'box'.includes(s[1]!.toLowerCase())) {
    i = 2;
    saw = '0';
    hex = s[1]!.toLowerCase() === 'x';
  }
  for (; i < s.length; i++) {
    const c = s[i]!;
    if ((c >= '0' && c <= '9') || (hex && /[a-fA-F]/.test(c))) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

/** strconv.ParseFloat(s, 64) for Go literal syntax; undefined on syntax or range errors. */
function parseGoFloat(s: string): number | undefined {
  if (!underscoreOK(s)) return undefined;
  const t = s.replaceAll('_', '');
  const hexm = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)$/.exec(t);
  if (hexm) {
    const [, sign, ip = '', fp = '', exp] = hexm;
    if (ip === '' && fp === '') return undefined;
    let mant = 0;
    for (const c of ip + fp) mant = mant * 16 + parseInt(c, 16);
    const v = mant * 2 ** (Number(exp) - 4 * fp.length);
    if (!Number.isFinite(v)) return undefined;
    return sign === '-' ? -v : v;
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return undefined;
  const v = Number(t);
  return Number.isFinite(v) ? v : undefined;
}

function newNumber(pos: number, text: string, typ: ItemType): NumberNode {
  const n: NumberNode = { type: 'number', pos, text, isInt: false, isUint: false, isFloat: false, isComplex: false, int64: 0n, uint64: 0n, float64: 0, complex: { re: 0, im: 0 } };
  const simplify = () => {
    n.isFloat = n.complex.im === 0;
    if (n.isFloat) {
      n.float64 = n.complex.re;
      n.isInt = Number.isInteger(n.float64) && Math.abs(n.float64) < 2 ** 63;
      if (n.isInt) n.int64 = BigInt(n.float64);
      n.isUint = Number.isInteger(n.float64) && n.float64 >= 0 && n.float64 < 2 ** 64;
      if (n.isUint) n.uint64 = BigInt(n.float64);
    }
  };
  if (typ === 'charConstant') {
    // strconv.UnquoteChar of the first character, then the closing quote must follow.
    const body = text.slice(1);
    let first: string;
    if (body[0] === '\\') {
      const esc = /^\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{3}|[abfnrtv\\'])/.exec(body);
      if (!esc) throw new ParseError('invalid syntax');
      first = esc[0];
    } else {
      if (body[0] === "'" || body === '') throw new ParseError('invalid syntax');
      first = String.fromCodePoint(body.codePointAt(0)!);
    }
    if (body.slice(first.length) !== "'") throw new ParseError(`malformed character constant: ${text}`);
    let r: number;
    try {
      const s = unquote("'" + first + "'");
      r = s.codePointAt(0)!;
      if (r >= 0xdc80 && r <= 0xdcff) r -= 0xdc00;
    } catch {
      throw new ParseError('invalid syntax');
    }
    n.int64 = BigInt(r);
    n.uint64 = BigInt(r);
    n.float64 = r;
    n.isInt = n.isUint = n.isFloat = true;
    return n;
  }
  if (typ === 'complex') {
    let split = -1;
    for (let i = text.length - 2; i > 0; i--) {
      if ((text[i] === '+' || text[i] === '-') && !/[eEpP]/.test(text[i - 1]!)) {
        split = i;
        break;
      }
    }
    const re = split > 0 && text.endsWith('i') ? parseGoFloat(text.slice(0, split)) : undefined;
    const im = split > 0 && text.endsWith('i') ? parseGoFloat(text.slice(split, -1)) : undefined;
    if (re === undefined || im === undefined) throw new ParseError(`strconv.ParseComplex: parsing ${quote(text)}: invalid syntax`);
    n.isComplex = true;
    n.complex = { re, im };
    simplify();
    return n;
  }
  if (text.endsWith('i')) {
    const f = parseGoFloat(text.slice(0, -1));
    if (f !== undefined) {
      n.isComplex = true;
      n.complex = { re: 0, im: f };
      simplify();
      return n;
    }
  }
  const u = parseGoInt(text, false);
  if (u !== undefined) {
    n.isUint = true;
    n.uint64 = u;
  }
  const i = parseGoInt(text, true);
  if (i !== undefined) {
    n.isInt = true;
    n.int64 = i;
    if (i === 0n) {
      n.isUint = true;
      n.uint64 = 0n;
    }
  }
  if (n.isInt) {
    n.isFloat = true;
    n.float64 = Number(n.int64);
  } else if (n.isUint) {
    n.isFloat = true;
    n.float64 = Number(n.uint64);
  } else {
    const f = parseGoFloat(text);
    if (f !== undefined) {
      if (!/[.eEpP]/.test(text)) throw new ParseError(`integer overflow: ${quote(text)}`);
      n.isFloat = true;
      n.float64 = f;
      if (Number.isInteger(f) && Math.abs(f) < 2 ** 63) {
        n.isInt = true;
        n.int64 = BigInt(f);
      }
      if (Number.isInteger(f) && f >= 0 && f < 2 ** 64) {
        n.isUint = true;
        n.uint64 = BigInt(f);
      }
    }
  }
  if (!n.isInt && !n.isUint && !n.isFloat) throw new ParseError(`illegal number syntax: ${quote(text)}`);
  return n;
}

class ParseError extends Error {}

// ================================================================== parser

interface Tree {
  name: string;
  root: ListNode;
}

const MAX_STACK_DEPTH = 10000;

class Parser {
  private lex!: Lexer;
  private token: Item[] = [];
  private peekCount = 0;
  private vars: string[] = ['$'];
  private actionLine = 0;
  private rangeDepth = 0;
  private stackDepth = 0;
  private name: string;

  constructor(
    private readonly text: string,
    private readonly parseName: string,
    private readonly funcs: Set<string>,
    private readonly trees: Map<string, Tree>,
  ) {
    this.name = parseName;
  }

  private next(): Item {
    if (this.peekCount > 0) this.peekCount--;
    else this.token[0] = this.lex.nextItem();
    return this.token[this.peekCount]!;
  }
  private backup(): void {
    this.peekCount++;
  }
  private backup2(t1: Item): void {
    this.token[1] = t1;
    this.peekCount = 2;
  }
  private backup3(t2: Item, t1: Item): void {
    this.token[1] = t1;
    this.token[2] = t2;
    this.peekCount = 3;
  }
  private peek(): Item {
    if (this.peekCount > 0) return this.token[this.peekCount - 1]!;
    this.peekCount = 1;
    this.token[0] = this.lex.nextItem();
    return this.token[0];
  }
  private nextNonSpace(): Item {
    let t: Item;
    do t = this.next();
    while (t.typ === 'space');
    return t;
  }
  private peekNonSpace(): Item {
    const t = this.nextNonSpace();
    this.backup();
    return t;
  }

  private errorf(msg: string): never {
    throw new TemplateError(displayString(`template: ${this.parseName}:${this.token[0]?.line ?? 1}: ${msg}`));
  }

  private expect(expected: ItemType, context: string): Item {
    const t = this.nextNonSpace();
    if (t.typ !== expected) this.unexpected(t, context);
    return t;
  }

  private unexpected(t: Item, context: string): never {
    if (t.typ === 'error') {
      let extra = '';
      if (this.actionLine !== 0 && this.actionLine !== t.line) {
        extra = ` in action started at ${this.parseName}:${this.actionLine}`;
        if (t.val.endsWith(' action')) extra = extra.slice(' in action'.length);
      }
      this.errorf(`${itemString(t)}${extra}`);
    }
    this.errorf(`unexpected ${itemString(t)} in ${context}`);
  }

  /** Parses the whole text into the tree set (the top-level template and its definitions). */
  parse(): void {
    this.lex = new Lexer(this.text);
    const root: ListNode = { type: 'list', pos: this.peek().pos, nodes: [] };
    while (this.peek().typ !== 'eof') {
      if (this.peek().typ === 'leftDelim') {
        const delim = this.next();
        if (this.nextNonSpace().typ === 'define') {
          this.parseDefinition();
          continue;
        }
        this.backup2(delim);
      }
      const n = this.textOrAction();
      if (n.type === 'end' || n.type === 'else') this.errorf(`unexpected ${nodeString(n)}`);
      root.nodes.push(n);
    }
    this.add({ name: this.name, root });
  }

  private add(tree: Tree): void {
    const existing = this.trees.get(tree.name);
    if (!existing || isEmptyTree(existing.root)) {
      this.trees.set(tree.name, tree);
      return;
    }
    if (!isEmptyTree(tree.root)) this.errorf(`template: multiple definition of template ${quote(tree.name)}`);
  }

  private parseDefinition(): void {
    const context = 'define clause';
    const tok = this.nextNonSpace();
    if (tok.typ !== 'string' && tok.typ !== 'rawString') this.unexpected(tok, context);
    let name: string;
    try {
      name = unquote(tok.val);
    } catch {
      this.errorf('invalid syntax');
    }
    this.expect('rightDelim', context);
    this.parseDefinitionBody(name, context);
  }

  /** A {{define}} or {{block}} body up to its {{end}}, parsed in a scope of its own and added by `name`. */
  private parseDefinitionBody(name: string, context: string): void {
    const saved = { vars: this.vars, rangeDepth: this.rangeDepth };
    this.vars = ['$'];
    this.rangeDepth = 0;
    const [list, end] = this.itemList();
    if (end.type !== 'end') this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    this.add({ name, root: list });
    this.vars = saved.vars;
    this.rangeDepth = saved.rangeDepth;
  }

  private itemList(): [ListNode, Node] {
    const list: ListNode = { type: 'list', pos: this.peekNonSpace().pos, nodes: [] };
    while (this.peekNonSpace().typ !== 'eof') {
      const n = this.textOrAction();
      if (n.type === 'end' || n.type === 'else') return [list, n];
      list.nodes.push(n);
    }
    this.errorf('unexpected EOF');
  }

  private textOrAction(): Node {
    const t = this.nextNonSpace();
    switch (t.typ) {
      case 'text':
        return { type: 'text', pos: t.pos, text: t.val };
      case 'leftDelim': {
        this.actionLine = t.line;
        try {
          return this.action();
        } finally {
          this.actionLine = 0;
        }
      }
      default:
        this.unexpected(t, 'input');
    }
  }

  private action(): Node {
    const t = this.nextNonSpace();
    switch (t.typ) {
      case 'block':
        return this.blockControl();
      case 'break':
      case 'continue': {
        const tok = this.nextNonSpace();
        if (tok.typ !== 'rightDelim') this.unexpected(tok, `{{${t.typ}}}`);
        if (this.rangeDepth === 0) this.errorf(`{{${t.typ}}} outside {{range}}`);
        return { type: t.typ, pos: t.pos, line: t.line };
      }
      case 'else':
        return this.elseControl();
      case 'end':
        return { type: 'end', pos: this.expect('rightDelim', 'end').pos, line: t.line };
      case 'if':
      case 'range':
      case 'with':
        return this.parseControl(t.typ);
      case 'template':
        return this.templateControl();
    }
    this.backup();
    const tok = this.peek();
    return { type: 'action', pos: tok.pos, line: tok.line, pipe: this.pipeline('command', 'rightDelim') };
  }

  private pipeline(context: string, end: ItemType): PipeNode {
    const token = this.peekNonSpace();
    const pipe: PipeNode = { type: 'pipe', pos: token.pos, line: token.line, isAssign: false, decl: [], cmds: [] };
    decls: for (;;) {
      const v = this.peekNonSpace();
      if (v.typ !== 'variable') break;
      this.next();
      const tokenAfterVariable = this.peek();
      const next = this.peekNonSpace();
      if (next.typ === 'assign' || next.typ === 'declare') {
        pipe.isAssign = next.typ === 'assign';
        this.nextNonSpace();
        pipe.decl.push({ type: 'variable', pos: v.pos, ident: v.val.split('.') });
        this.vars.push(v.val);
      } else if (next.typ === 'char' && next.val === ',') {
        this.nextNonSpace();
        pipe.decl.push({ type: 'variable', pos: v.pos, ident: v.val.split('.') });
        this.vars.push(v.val);
        if (context === 'range' && pipe.decl.length < 2) {
          const p = this.peekNonSpace().typ;
          if (p === 'variable' || p === 'rightDelim' || p === 'rightParen') continue decls;
          this.errorf('range can only initialize variables');
        }
        this.errorf(`too many declarations in ${context}`);
      } else if (tokenAfterVariable.typ === 'space') {
        this.backup3(v, tokenAfterVariable);
      } else {
        this.backup2(v);
      }
      break;
    }
    for (;;) {
      const t = this.nextNonSpace();
      if (t.typ === end) {
        this.checkPipeline(pipe, context);
        return pipe;
      }
      switch (t.typ) {
        case 'bool':
        case 'charConstant':
        case 'complex':
        case 'dot':
        case 'field':
        case 'identifier':
        case 'number':
        case 'nil':
        case 'rawString':
        case 'string':
        case 'variable':
        case 'leftParen':
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(t, context);
      }
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((c, i) => {
      const t = c.args[0]!.type;
      if (t === 'bool' || t === 'dot' || t === 'nil' || t === 'number' || t === 'string') this.errorf(`non executable command in pipeline stage ${i + 2}`);
    });
  }

  private parseControl(context: 'if' | 'range' | 'with'): BranchNode {
    const mark = this.vars.length;
    try {
      const pipe = this.pipeline(context, 'rightDelim');
      if (context === 'range') this.rangeDepth++;
      let [list, next] = this.itemList();
      if (context === 'range') this.rangeDepth--;
      let elseList: ListNode | null = null;
      if (next.type === 'else') {
        if ((context === 'if' && this.peek().typ === 'if') || (context === 'with' && this.peek().typ === 'with')) {
          this.next();
          elseList = { type: 'list', pos: next.pos, nodes: [this.parseControl(context)] };
        } else {
          [elseList, next] = this.itemList();
          if (next.type !== 'end') this.errorf(`expected end; found ${nodeString(next)}`);
        }
      }
      void list;
      return { type: context, pos: pipe.pos, line: pipe.line, pipe, list, elseList };
    } finally {
      this.vars.length = mark;
    }
  }

  private elseControl(): Node {
    const p = this.peekNonSpace();
    if (p.typ === 'if' || p.typ === 'with') return { type: 'else', pos: p.pos, line: p.line };
    const t = this.expect('rightDelim', 'else');
    return { type: 'else', pos: t.pos, line: t.line };
  }

  private parseTemplateName(t: Item, context: string): string {
    if (t.typ !== 'string' && t.typ !== 'rawString') this.unexpected(t, context);
    try {
      return unquote(t.val);
    } catch {
      this.errorf('invalid syntax');
    }
  }

  private blockControl(): Node {
    const context = 'block clause';
    const t = this.nextNonSpace();
    const name = this.parseTemplateName(t, context);
    const pipe = this.pipeline(context, 'rightDelim');
    this.parseDefinitionBody(name, context);
    return { type: 'template', pos: t.pos, line: t.line, name, pipe };
  }

  private templateControl(): Node {
    const context = 'template clause';
    const t = this.nextNonSpace();
    const name = this.parseTemplateName(t, context);
    let pipe: PipeNode | null = null;
    if (this.nextNonSpace().typ !== 'rightDelim') {
      this.backup();
      pipe = this.pipeline(context, 'rightDelim');
    }
    return { type: 'template', pos: t.pos, line: t.line, name, pipe };
  }

  private command(): CommandNode {
    const cmd: CommandNode = { type: 'command', pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand) cmd.args.push(operand);
      const t = this.next();
      if (t.typ === 'space') continue;
      if (t.typ === 'rightDelim' || t.typ === 'rightParen') this.backup();
      else if (t.typ !== 'pipe') this.unexpected(t, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.errorf('empty command');
    return cmd;
  }

  private operand(): Node | null {
    let node = this.term();
    if (!node) return null;
    if (this.peek().typ === 'field') {
      const pos = this.peek().pos;
      const fields: string[] = [];
      while (this.peek().typ === 'field') fields.push(this.next().val.slice(1));
      switch (node.type) {
        case 'field':
          node = { type: 'field', pos, ident: [...node.ident, ...fields] };
          break;
        case 'variable':
          node = { type: 'variable', pos, ident: [...node.ident, ...fields] };
          break;
        case 'bool':
        case 'string':
        case 'number':
        case 'nil':
        case 'dot':
          this.errorf(`unexpected . after term ${quote(nodeString(node))}`);
        // eslint-disable-next-line no-fallthrough
        default:
          node = { type: 'chain', pos, node, field: fields };
      }
    }
    return node;
  }

  private term(): Node | null {
    const t = this.nextNonSpace();
    switch (t.typ) {
      case 'identifier':
        if (!this.funcs.has(t.val)) this.errorf(`function ${quote(t.val)} not defined`);
        return { type: 'identifier', pos: t.pos, ident: t.val };
      case 'dot':
        return { type: 'dot', pos: t.pos };
      case 'nil':
        return { type: 'nil', pos: t.pos };
      case 'variable': {
        const ident = t.val.split('.');
        if (!this.vars.includes(ident[0]!)) this.errorf(`undefined variable ${quote(ident[0]!)}`);
        return { type: 'variable', pos: t.pos, ident };
      }
      case 'field':
        return { type: 'field', pos: t.pos, ident: t.val.slice(1).split('.') };
      case 'bool':
        return { type: 'bool', pos: t.pos, value: t.val === 'true' };
      case 'charConstant':
      case 'complex':
      case 'number':
        try {
          return newNumber(t.pos, t.val, t.typ);
        } catch (e) {
          if (e instanceof ParseError) this.errorf(e.message);
          throw e;
        }
      case 'leftParen': {
        if (this.stackDepth >= MAX_STACK_DEPTH) this.errorf('max expression depth exceeded');
        this.stackDepth++;
        try {
          return this.pipeline('parenthesized pipeline', 'rightParen');
        } finally {
          this.stackDepth--;
        }
      }
      case 'string':
      case 'rawString':
        try {
          return { type: 'string', pos: t.pos, quoted: t.val, text: unquote(t.val) };
        } catch {
          this.errorf('invalid syntax');
        }
    }
    this.backup();
    return null;
  }
}

function isEmptyTree(n: Node): boolean {
  switch (n.type) {
    case 'list':
      return n.nodes.every(isEmptyTree);
    case 'text':
      return n.text.trim() === '';
    default:
      return false;
  }
}

// ================================================================== functions

/** reflect.Value parameters (and, index, eq, …): any value, invalid ones included. */
const RV: GoType = { kind: 'iface', name: 'reflect.Value', named: true };

interface FuncDef {
  params: GoType[];
  variadic?: boolean;
  builtin?: boolean;
  call(args: GoValue[]): GoValue;
}

const err = (msg: string): never => {
  throw new GoCallError(msg);
};

/** An interface{} argument as fmt receives it: the dynamic value, or nil. */
const asAny = (g: GoValue): GoValue | null => {
  if (g.t.kind === 'invalid') return null;
  if (g.t.kind === 'iface') return isNil(g) ? null : (g.v as GoValue);
  return g;
};

/** printableValue: what {{.}} and the html/js/urlquery functions print for a value. */
function printable(g: GoValue): GoValue | null | string {
  let v = g;
  if (v.t.kind === 'ptr') v = indirect(v)[0];
  if (v.t.kind === 'invalid') return '<no value>';
  if (v.t.kind === 'iface') return isNil(v) ? null : (v.v as GoValue);
  if (v.t.kind !== 'ptr' && !v.t.methods?.String && v.t.ptrMethods?.String) return { t: { kind: 'ptr', name: '*' + v.t.name, named: false, elem: v.t }, v: v.v };
  return v;
}

function evalArgs(args: GoValue[]): string {
  if (args.length === 1 && args[0]!.t === T.string) return args[0]!.v as string;
  return sprint(
    args.map((a) => {
      const p = a.t.kind === 'iface' ? asAny(a) : printable(a);
      return typeof p === 'string' ? goString(p) : p;
    }),
  );
}

function htmlEscape(s: string): string {
  return s.replace(/[\0"'&<>]/g, (c) => ({ '\0': '\ufffd', '"': '&#34;', "'": '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);
}

function jsEscape(s: string): string {
  const b = stringBytes(s);
  let out = '';
  for (let i = 0; i < b.length; ) {
    const c = b[i]!;
    if (c < 0x80) {
      const ch = String.fromCharCode(c);
      if (ch === '\\') out += '\\\\';
      else if (ch === "'") out += "\\'";
      else if (ch === '"') out += '\\"';
      else if (ch === '<') out += '\\u003C';
      else if (ch === '>') out += '\\u003E';
      else if (ch === '&') out += '\\u0026';
      else if (ch === '=') out += '\\u003D';
      else if (c < 0x20) out += '\\u00' + c.toString(16).toUpperCase().padStart(2, '0');
      else out += ch;
      i++;
      continue;
    }
    const [r, size] = decodeRune(b, i);
    const rr = r < 0 ? 0xfffd : r;
    if (/^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(String.fromCodePoint(rr))) out += bytesString(b.slice(i, i + size));
    else out += '\\u' + rr.toString(16).toUpperCase().padStart(4, '0');
    i += size;
  }
  return out;
}

function urlQueryEscape(s: string): string {
  let out = '';
  for (const c of stringBytes(s)) {
    const ch = String.fromCharCode(c);
    if (/[A-Za-z0-9\-_.~]/.test(ch)) out += ch;
    else if (ch === ' ') out += '+';
    else out += '%' + c.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** reflect's indexArg. */
function indexArg(index: GoValue, cap: number): number {
  let x: bigint;
  if (isIntKind(index.t.kind) || isUintKind(index.t.kind)) x = index.v as bigint;
  else if (index.t.kind === 'invalid') return err('cannot index slice/array with nil');
  else return err(`cannot index slice/array with type ${index.t.name}`);
  if (x < 0n || x > BigInt(cap)) err(`index out of range: ${x}`);
  return Number(x);
}

/** funcs.go's prepareArg for map keys. */
function prepareArg(value: GoValue, argType: GoType): GoValue {
  if (value.t.kind === 'invalid') {
    if (!isNillable(argType.kind)) err(`value is nil; should be of type ${argType.name}`);
    return zeroValue(argType);
  }
  if (assignable(value.t, argType)) return value;
  const intLike = (t: GoType) => isIntKind(t.kind) || isUintKind(t.kind);
  if (intLike(value.t) && intLike(argType)) return { t: argType, v: wrapInt(argType.kind, value.v as bigint) };
  return err(`value has type ${value.t.name}; should be ${argType.name}`);
}

const zeroValue = (t: GoType): GoValue => (t === RV ? INVALID : zero(t));

function index(item: GoValue, ...indexes: GoValue[]): GoValue {
  item = indirectInterface(item);
  if (item.t.kind === 'invalid') err('index of untyped nil');
  for (let idx of indexes) {
    idx = indirectInterface(idx);
    const [it, isNilPtr] = indirect(item);
    if (isNilPtr) err('index of nil pointer');
    item = it;
    switch (item.t.kind) {
      case 'array':
      case 'slice':
      case 'string': {
        const len = sliceLen(item);
        const x = indexArg(idx, len);
        if (x >= len) err(`reflect: ${item.t.kind === 'string' ? 'string' : item.t.kind} index out of range`);
        item = item.t.kind === 'string' ? { t: T.uint8, v: BigInt(stringBytes(item.v as string)[x]!) } : indexValue(item, x);
        break;
      }
      case 'map': {
        const key = prepareArg(idx, item.t.key!);
        item = (key.t.kind === 'string' ? mapValue(item, key.v as string) : undefined) ?? zero(item.t.elem!);
        break;
      }
      default:
        err(`can't index item of type ${item.t.name}`);
    }
  }
  return item;
}

function slice(item: GoValue, ...indexes: GoValue[]): GoValue {
  item = indirectInterface(item);
  if (item.t.kind === 'invalid') err('slice of untyped nil');
  if (indexes.length > 3) err(`too many slice indexes: ${indexes.length}`);
  let cap: number;
  switch (item.t.kind) {
    case 'string':
      if (indexes.length === 3) err('cannot 3-index slice a string');
      cap = sliceLen(item);
      break;
    case 'array':
    case 'slice':
      cap = sliceLen(item);
      break;
    default:
      return err(`can't slice item of type ${item.t.name}`);
  }
  const idx = [0, sliceLen(item), 0];
  indexes.forEach((x, i) => (idx[i] = indexArg(indirectInterface(x), cap)));
  if (idx[0]! > idx[1]!) err(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (indexes.length === 3 && idx[1]! > idx[2]!) err(`invalid slice index: ${idx[1]} > ${idx[2]}`);
  if (item.t.kind === 'string') return { t: item.t, v: bytesString(stringBytes(item.v as string).slice(idx[0], idx[1])) };
  const arr = (item.v as unknown[] | null) ?? [];
  const t = item.t.kind === 'array' ? sliceOf(item.t.elem!) : item.t;
  if (isNil(item)) return item;
  return { t, v: arr.slice(idx[0], idx[1]) };
}

function length(item: GoValue): GoValue {
  const [it, isNilPtr] = indirect(item);
  if (isNilPtr) err('len of nil pointer');
  switch (it.t.kind) {
    case 'array':
    case 'map':
    case 'slice':
    case 'string':
      return goInt(sliceLen(it));
    case 'invalid':
      return err('reflect: call of reflect.Value.Type on zero Value');
  }
  return err(`len of type ${it.t.name}`);
}

/** isTrue: [truth, ok]. */
function isTrue(g: GoValue): [boolean, boolean] {
  switch (g.t.kind) {
    case 'invalid':
      return [false, true];
    case 'array':
    case 'map':
    case 'slice':
    case 'string':
      return [sliceLen(g) > 0, true];
    case 'bool':
      return [g.v === true, true];
    case 'complex128': {
      const c = g.v as { re: number; im: number };
      return [c.re !== 0 || c.im !== 0, true];
    }
    case 'ptr':
    case 'iface':
      return [!isNil(g), true];
    case 'float32':
    case 'float64':
      return [g.v !== 0, true];
    case 'struct':
      return [true, true];
    default:
      return [(g.v as bigint) !== 0n, true];
  }
}

const truth = (g: GoValue) => isTrue(indirectInterface(g))[0];

type BasicKind = 'invalid' | 'bool' | 'complex' | 'int' | 'float' | 'string' | 'uint';
function basicKind(g: GoValue): BasicKind {
  const k = g.t.kind;
  if (k === 'bool') return 'bool';
  if (isIntKind(k)) return 'int';
  if (isUintKind(k)) return 'uint';
  if (isFloatKind(k)) return 'float';
  if (k === 'complex128') return 'complex';
  if (k === 'string') return 'string';
  return 'invalid';
}

function comparable(t: GoType): boolean {
  switch (t.kind) {
    case 'slice':
    case 'map':
      return false;
    case 'array':
      return comparable(t.elem!);
    case 'struct':
      return t.special !== undefined || fieldsOf(t).every((f) => comparable(f.type));
    default:
      return true;
  }
}

function deepEqual(a: GoValue, b: GoValue): boolean {
  if (a.t.name !== b.t.name) return false;
  if (a.t.kind === 'ptr') return a.v === b.v || (isNil(a) && isNil(b));
  if (a.t.kind === 'struct' && !a.t.special) return fieldsOf(a.t).every((f) => deepEqual(val(f.type, (a.v as Record<string, unknown>)[f.json || f.name]), val(f.type, (b.v as Record<string, unknown>)[f.json || f.name])));
  if (a.t.kind === 'array') return Array.from({ length: sliceLen(a) }, (_, i) => deepEqual(indexValue(a, i), indexValue(b, i))).every(Boolean);
  if (a.t.kind === 'iface') return isNil(a) ? isNil(b) : !isNil(b) && deepEqual(a.v as GoValue, b.v as GoValue);
  if (a.t.kind === 'complex128') {
    const x = a.v as { re: number; im: number };
    const y = b.v as { re: number; im: number };
    return x.re === y.re && x.im === y.im;
  }
  return a.v === b.v;
}

/** %v / %s of a reflect.Value argument of an fmt.Errorf in funcs.go. */
const showValue = (g: GoValue, verb = 'v'): string => sprintf('%' + verb, [asAny(g)]);

function eq(arg1: GoValue, ...arg2: GoValue[]): GoValue {
  arg1 = indirectInterface(arg1);
  if (arg2.length === 0) err('missing argument for comparison');
  const k1 = basicKind(arg1);
  for (let arg of arg2) {
    arg = indirectInterface(arg);
    const k2 = basicKind(arg);
    let t = false;
    if (k1 !== k2) {
      if (k1 === 'int' && k2 === 'uint') t = (arg1.v as bigint) >= 0n && (arg1.v as bigint) === (arg.v as bigint);
      else if (k1 === 'uint' && k2 === 'int') t = (arg.v as bigint) >= 0n && (arg1.v as bigint) === (arg.v as bigint);
      else if (arg1.t.kind !== 'invalid' && arg.t.kind !== 'invalid') err(`incompatible types for comparison: ${arg1.t.name} and ${arg.t.name}`);
    } else {
      switch (k1) {
        case 'bool':
        case 'int':
        case 'uint':
        case 'string':
        case 'float':
          t = arg1.v === arg.v;
          break;
        case 'complex':
          t = deepEqual(arg1, arg);
          break;
        default: {
          const ka = arg1.t.kind;
          const kb = arg.t.kind;
          if (!(ka === kb || ka === 'invalid' || kb === 'invalid')) err(`non-comparable types ${showValue(arg1, 's')}: ${arg1.t.name}, ${arg.t.name}: ${showValue(arg)}`);
          const nil1 = arg1.t.kind === 'invalid' || isNil(arg1);
          const nil2 = arg.t.kind === 'invalid' || isNil(arg);
          if (nil1 || nil2) t = nil1 === nil2;
          else {
            if (!comparable(arg.t)) err(`non-comparable type ${showValue(arg, 's')}: ${arg.t.name}`);
            t = deepEqual(arg1, arg);
          }
        }
      }
    }
    if (t) return goBool(true);
  }
  return goBool(false);
}

function lt(arg1: GoValue, arg2: GoValue): boolean {
  arg1 = indirectInterface(arg1);
  const k1 = basicKind(arg1);
  if (k1 === 'invalid') err('invalid type for comparison');
  arg2 = indirectInterface(arg2);
  const k2 = basicKind(arg2);
  if (k2 === 'invalid') err('invalid type for comparison');
  if (k1 !== k2) {
    if (k1 === 'int' && k2 === 'uint') return (arg1.v as bigint) < 0n || (arg1.v as bigint) < (arg2.v as bigint);
    if (k1 === 'uint' && k2 === 'int') return (arg2.v as bigint) >= 0n && (arg1.v as bigint) < (arg2.v as bigint);
    return err(`incompatible types for comparison: ${arg1.t.name} and ${arg2.t.name}`);
  }
  if (k1 === 'bool' || k1 === 'complex') err('invalid type for comparison');
  return (arg1.v as number | bigint | string) < (arg2.v as number | bigint | string);
}

const le = (a: GoValue, b: GoValue): boolean => lt(a, b) || (eq(a, b).v as boolean);

/** strings.Title's isSeparator. */
function isSeparator(r: string): boolean {
  const c = r.codePointAt(0)!;
  if (c <= 0x7f) return !/[0-9a-zA-Z_]/.test(r);
  if (/^[\p{L}\p{Nd}]$/u.test(r)) return false;
  return /^\s$/u.test(r);
}

/** unicode.ToUpper/ToLower/ToTitle of one rune (simple case mapping). */
function caseMap(r: string, mode: 'upper' | 'lower'): string {
  if (r >= '\udc80' && r <= '\udcff') return '\ufffd';
  const m = mode === 'upper' ? r.toUpperCase() : r.toLowerCase();
  const cps = [...m];
  if (cps.length === 1) return m;
  return mode === 'lower' ? cps[0]! : r;
}

const mapRunes = (s: string, f: (r: string, prev: string) => string): string => {
  let prev = ' ';
  let out = '';
  for (const r of s) {
    out += f(r, prev);
    prev = r;
  }
  return out;
};

/** strings.Repeat, bounded by the output limit. */
function repeat(s: string, count: bigint, fn: string): string {
  if (count < 0n) err('strings: negative Repeat count');
  if (count * BigInt(byteLength(s) || 1) > BigInt(OUTPUT_LIMIT)) throw new LimitError(fn);
  return s.repeat(Number(count));
}

class LimitError extends Error {
  constructor(readonly fn: string) {
    super('output limit');
  }
}

function stringsSplit(s: string, sep: string): string[] {
  if (sep === '') {
    const b = stringBytes(s);
    const out: string[] = [];
    for (let i = 0; i < b.length; ) {
      const [, size] = decodeRune(b, i);
      out.push(bytesString(b.slice(i, i + size)));
      i += size;
    }
    return out;
  }
  return s.split(sep);
}

const S = T.string;
const STRINGS = sliceOf(S);
const ANY_SLICE = sliceOf(T.any);

function fn(params: GoType[], call: (args: GoValue[]) => GoValue, variadic = false, builtin = false): FuncDef {
  return { params, call, variadic, builtin };
}

const BUILTINS: Record<string, FuncDef> = {
  and: fn([RV, sliceOf(RV)], () => INVALID, true, true),
  or: fn([RV, sliceOf(RV)], () => INVALID, true, true),
  call: fn([RV, sliceOf(RV)], () => INVALID, true, true),
  html: fn([ANY_SLICE], (a) => goString(htmlEscape(evalArgs(a))), true, true),
  js: fn([ANY_SLICE], (a) => goString(jsEscape(evalArgs(a))), true, true),
  urlquery: fn([ANY_SLICE], (a) => goString(urlQueryEscape(evalArgs(a))), true, true),
  index: fn([RV, sliceOf(RV)], ([item, ...idx]) => index(item!, ...idx), true, true),
  slice: fn([RV, sliceOf(RV)], ([item, ...idx]) => slice(item!, ...idx), true, true),
  len: fn([RV], ([item]) => length(item!), false, true),
  not: fn([RV], ([a]) => goBool(!truth(a!)), false, true),
  print: fn([ANY_SLICE], (a) => goString(sprint(a.map(asAny))), true, true),
  printf: fn([S, ANY_SLICE], ([f, ...a]) => goString(sprintf(f!.v as string, a.map(asAny))), true, true),
  println: fn([ANY_SLICE], (a) => goString(sprintln(a.map(asAny))), true, true),
  eq: fn([RV, sliceOf(RV)], ([a, ...b]) => eq(a!, ...b), true, true),
  ne: fn([RV, RV], ([a, b]) => goBool(!(eq(a!, b!).v as boolean)), false, true),
  lt: fn([RV, RV], ([a, b]) => goBool(lt(a!, b!)), false, true),
  le: fn([RV, RV], ([a, b]) => goBool(le(a!, b!)), false, true),
  gt: fn([RV, RV], ([a, b]) => goBool(!le(a!, b!)), false, true),
  ge: fn([RV, RV], ([a, b]) => goBool(!lt(a!, b!)), false, true),
};

/** docker/cli's templates.basicFunctions (v28.2.2). */
const DOCKER_FUNCS: Record<string, FuncDef> = {
  json: fn([T.any], ([v]) => goString(marshalJSON(asAny(v!), false))),
  split: fn([S, S], ([s, sep]) => ({ t: STRINGS, v: stringsSplit(s!.v as string, sep!.v as string) })),
  join: fn([STRINGS, S], ([elems, sep]) => goString(((elems!.v as unknown[] | null) ?? []).map((x) => val(S, x).v as string).join(sep!.v as string))),
  title: fn([S], ([s]) => goString(mapRunes(s!.v as string, (r, prev) => (isSeparator(prev) ? caseMap(r, 'upper') : r >= '\udc80' && r <= '\udcff' ? '\ufffd' : r)))),
  lower: fn([S], ([s]) => goString(mapRunes(s!.v as string, (r) => caseMap(r, 'lower')))),
  upper: fn([S], ([s]) => goString(mapRunes(s!.v as string, (r) => caseMap(r, 'upper')))),
  pad: fn([S, T.int, T.int], ([s, pre, post]) => {
    const src = s!.v as string;
    if (src === '') return goString('');
    return goString(repeat(' ', pre!.v as bigint, 'pad') + src + repeat(' ', post!.v as bigint, 'pad'));
  }),
  truncate: fn([S, T.int], ([s, n]) => {
    const b = stringBytes(s!.v as string);
    const l = n!.v as bigint;
    if (BigInt(b.length) < l) return s!;
    if (l < 0n) err(`runtime error: slice bounds out of range [:${l}]`);
    return goString(bytesString(b.slice(0, Number(l))));
  }),
};

/**
 * templates.HeaderFunctions: what a table's header row runs instead of json, split, join, title,
 * lower, upper and truncate (each returns the header text unchanged).
 */
const HEADER_FUNCS: Record<string, FuncDef> = {
  json: fn([S], ([v]) => v!),
  split: fn([S, S], ([v]) => v!),
  join: fn([S, S], ([v]) => v!),
  title: fn([S], ([v]) => v!),
  lower: fn([S], ([v]) => v!),
  upper: fn([S], ([v]) => v!),
  truncate: fn([S, T.int], ([v]) => v!),
};

/** `docker version` adds getDetailsOrder to its template's functions. */
const VERSION_FUNCS: Record<string, FuncDef> = {
  getDetailsOrder: fn([typeOf('types.ComponentVersion')], ([v]) => {
    const details = val(mapOf(S, S), (v!.v as Record<string, unknown>).Details);
    return { t: STRINGS, v: mapKeys(details) };
  }),
};

// ================================================================== assignability

const underlying = (t: GoType): GoType => t.underlying ?? t;

/** Go's assignability (the cases templates meet). */
function assignable(v: GoType, t: GoType): boolean {
  if (t === RV) return true;
  if (t.kind === 'iface') return t.name === 'interface {}' || v.name === t.name;
  if (v === t || v.name === t.name) return true;
  if (v.named && t.named) return false;
  return underlying(v).name === underlying(t).name && underlying(v).kind === underlying(t).kind;
}

// ================================================================== executor

const MISSING: GoValue = { t: { kind: 'invalid', name: 'missingValType', named: true }, v: undefined };
const isMissing = (g: GoValue) => g === MISSING;

class BreakSignal {}
class ContinueSignal {}

interface Variable {
  name: string;
  value: GoValue;
}

class Executor {
  out = '';
  private node: Node | undefined;
  private vars: Variable[] = [];
  private tmplName: string;
  private depth = 0;
  private steps = 0;

  constructor(
    private readonly src: string,
    private readonly parseName: string,
    private readonly trees: Map<string, Tree>,
    private readonly funcs: Record<string, FuncDef>,
  ) {
    this.tmplName = parseName;
  }

  // ---------------------------------------------------------------- errors

  private at(n: Node): void {
    this.node = n;
  }

  errorf(msg: string): never {
    const name = this.tmplName;
    if (!this.node) throw new TemplateError(`template: ${name}: ${msg}`);
    const pos = this.node.pos;
    const before = this.src.slice(0, pos);
    const nl = before.lastIndexOf('\n');
    const col = byteLength(nl < 0 ? before : before.slice(nl + 1));
    const line = 1 + countNewlines(before);
    throw new TemplateError(displayString(`template: ${this.parseName}:${line}:${col}: executing ${quote(name)} at <${nodeString(this.node)}>: ${msg}`));
  }

  private write(s: string): void {
    this.out += s;
    if (this.out.length > OUTPUT_LIMIT) this.errorf(`output exceeds the ${OUTPUT_LIMIT / 1024 / 1024} MiB this terminal accepts`);
  }

  private step(n: Node): void {
    if (++this.steps > STEP_LIMIT) {
      this.at(n);
      this.errorf(`more than ${STEP_LIMIT} steps: execution stopped`);
    }
  }

  // ---------------------------------------------------------------- variables

  private push(name: string, value: GoValue): void {
    this.vars.push({ name, value });
  }
  private mark(): number {
    return this.vars.length;
  }
  private pop(mark: number): void {
    this.vars.length = mark;
  }
  private setVar(name: string, value: GoValue): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) {
        this.vars[i]!.value = value;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }
  private setTopVar(n: number, value: GoValue): void {
    this.vars[this.vars.length - n]!.value = value;
  }
  private varValue(name: string): GoValue {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i]!.name === name) return this.vars[i]!.value;
    return this.errorf(`undefined variable: ${name}`);
  }

  // ---------------------------------------------------------------- walking

  run(root: ListNode, data: GoValue): string {
    this.vars = [{ name: '$', value: data }];
    this.walk(data, root);
    return this.out;
  }

  private walk(dot: GoValue, node: Node): void {
    this.at(node);
    switch (node.type) {
      case 'action': {
        const v = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, v);
        return;
      }
      case 'break':
        throw new BreakSignal();
      case 'continue':
        throw new ContinueSignal();
      case 'if':
      case 'with':
        return this.walkIfOrWith(node, dot);
      case 'list':
        for (const n of node.nodes) this.walk(dot, n);
        return;
      case 'range':
        return this.walkRange(dot, node);
      case 'template':
        return this.walkTemplate(dot, node);
      case 'text':
        this.write(node.text);
        return;
      default:
        this.errorf(`unknown node: ${nodeString(node)}`);
    }
  }

  private walkIfOrWith(node: BranchNode, dot: GoValue): void {
    const mark = this.mark();
    try {
      const v = this.evalPipeline(dot, node.pipe);
      const [t, ok] = isTrue(indirectInterface(v));
      if (!ok) this.errorf(`if/with can't use ${showValue(v)}`);
      if (t) this.walk(node.type === 'with' ? v : dot, node.list);
      else if (node.elseList) this.walk(dot, node.elseList);
    } finally {
      this.pop(mark);
    }
  }

  private walkRange(dot: GoValue, r: BranchNode): void {
    this.at(r);
    const outer = this.mark();
    try {
      const [v] = indirect(this.evalPipeline(dot, r.pipe));
      const mark = this.mark();
      const decl = r.pipe.decl;
      const oneIteration = (idx: GoValue, elem: GoValue): boolean => {
        this.step(r);
        if (decl.length > 0) {
          if (r.pipe.isAssign) this.setVar(decl[0]!.ident[0]!, decl.length > 1 ? idx : elem);
          else this.setTopVar(1, elem);
        }
        if (decl.length > 1) {
          if (r.pipe.isAssign) this.setVar(decl[1]!.ident[0]!, elem);
          else this.setTopVar(2, idx);
        }
        try {
          this.walk(elem, r.list);
        } catch (e) {
          if (e instanceof ContinueSignal) return true;
          if (e instanceof BreakSignal) return false;
          throw e;
        } finally {
          this.pop(mark);
        }
        return true;
      };
      const k = v.t.kind;
      if (k === 'array' || k === 'slice') {
        const n = sliceLen(v);
        if (n > 0) {
          for (let i = 0; i < n; i++) if (!oneIteration(goInt(i), indexValue(v, i))) break;
          return;
        }
      } else if (isIntKind(k) || isUintKind(k)) {
        if (decl.length > 1) this.errorf(`can't use ${showValue(v)} to iterate over more than one variable`);
        const n = v.v as bigint;
        if (n > 0n) {
          for (let i = 0n; i < n; i++) if (!oneIteration(INVALID, { t: v.t, v: i })) break;
          return;
        }
      } else if (k === 'map') {
        const keys = mapKeys(v);
        if (keys.length > 0) {
          for (const key of keys) if (!oneIteration({ t: v.t.key!, v: key }, mapValue(v, key)!)) break;
          return;
        }
      } else if (k !== 'invalid') {
        this.errorf(`range can't iterate over ${showValue(v)}`);
      }
      if (r.elseList) this.walk(dot, r.elseList);
    } finally {
      this.pop(outer);
    }
  }

  private walkTemplate(dot: GoValue, t: Extract<Node, { type: 'template' }>): void {
    this.at(t);
    const tree = this.trees.get(t.name);
    if (!tree) this.errorf(`template ${quote(t.name)} not defined`);
    if (this.depth >= 1000) this.errorf('exceeded maximum template depth (100000)');
    this.step(t);
    const newDot = t.pipe ? this.evalPipeline(dot, t.pipe) : INVALID;
    const saved = { vars: this.vars, name: this.tmplName };
    this.vars = [{ name: '$', value: newDot }];
    this.tmplName = t.name;
    this.depth++;
    try {
      this.walk(newDot, tree.root);
    } finally {
      this.depth--;
      this.vars = saved.vars;
      this.tmplName = saved.name;
    }
  }

  // ---------------------------------------------------------------- evaluation

  private evalPipeline(dot: GoValue, pipe: PipeNode): GoValue {
    this.at(pipe);
    let value = MISSING;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, cmd, value);
      if (value.t.kind === 'iface' && value.t.name === 'interface {}') value = isNil(value) ? INVALID : (value.v as GoValue);
    }
    for (const v of pipe.decl) {
      if (pipe.isAssign) this.setVar(v.ident[0]!, value);
      else this.push(v.ident[0]!, value);
    }
    return value;
  }

  private notAFunction(args: Node[], final: GoValue): void {
    if (args.length > 1 || !isMissing(final)) this.errorf(`can't give argument to non-function ${nodeString(args[0]!)}`);
  }

  private evalCommand(dot: GoValue, cmd: CommandNode, final: GoValue): GoValue {
    const first = cmd.args[0]!;
    switch (first.type) {
      case 'field':
        return this.evalFieldNode(dot, first, cmd.args, final);
      case 'chain':
        return this.evalChainNode(dot, first, cmd.args, final);
      case 'identifier':
        return this.evalFunction(dot, first, cmd, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case 'variable':
        return this.evalVariableNode(dot, first, cmd.args, final);
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case 'bool':
        return goBool(first.value);
      case 'dot':
        return dot;
      case 'nil':
        return this.errorf('nil is not a command');
      case 'number':
        return this.idealConstant(first);
      case 'string':
        return goString(first.text);
    }
    return this.errorf(`can't evaluate command ${quote(nodeString(first))}`);
  }

  private idealConstant(c: NumberNode): GoValue {
    this.at(c);
    if (c.isComplex) return { t: T.complex128, v: c.complex };
    const isHexInt = c.text.length > 2 && /^0[xX]/.test(c.text) && !/[pP]/.test(c.text);
    if (c.isFloat && !isHexInt && c.text[0] !== "'" && /[.eEpP]/.test(c.text)) return goFloat(c.float64);
    if (c.isInt) return goInt(c.int64);
    if (c.isUint) this.errorf(`${c.text} overflows int`);
    return INVALID;
  }

  private evalFieldNode(dot: GoValue, f: Extract<Node, { type: 'field' }>, args: Node[], final: GoValue): GoValue {
    this.at(f);
    return this.evalFieldChain(dot, dot, f, f.ident, args, final);
  }

  private evalChainNode(dot: GoValue, chain: Extract<Node, { type: 'chain' }>, args: Node[] | null, final: GoValue): GoValue {
    this.at(chain);
    if (chain.node.type === 'nil') this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const pipe = this.evalArg(dot, null, chain.node);
    return this.evalFieldChain(dot, pipe, chain, chain.field, args, final);
  }

  private evalVariableNode(dot: GoValue, v: VariableNode, args: Node[] | null, final: GoValue): GoValue {
    this.at(v);
    const value = this.varValue(v.ident[0]!);
    if (v.ident.length === 1) {
      this.notAFunction(args ?? [v], final);
      return value;
    }
    return this.evalFieldChain(dot, value, v, v.ident.slice(1), args, final);
  }

  private evalFieldChain(dot: GoValue, receiver: GoValue, node: Node, ident: string[], args: Node[] | null, final: GoValue): GoValue {
    const n = ident.length;
    for (let i = 0; i < n - 1; i++) receiver = this.evalField(dot, ident[i]!, node, null, MISSING, receiver);
    return this.evalField(dot, ident[n - 1]!, node, args, final, receiver);
  }

  private evalFunction(dot: GoValue, node: Extract<Node, { type: 'identifier' }>, cmd: Node, args: Node[] | null, final: GoValue): GoValue {
    this.at(node);
    const f = this.funcs[node.ident];
    if (!f) this.errorf(`${quote(node.ident)} is not a defined function`);
    return this.evalCall(dot, f, cmd, node.ident, args, final);
  }

  private evalField(dot: GoValue, fieldName: string, node: Node, args: Node[] | null, final: GoValue, receiver: GoValue): GoValue {
    if (receiver.t.kind === 'invalid') return INVALID;
    const typ = receiver.t;
    const [recv, nilPtr] = indirect(receiver);
    if (recv.t.kind === 'iface' && nilPtr) this.errorf(`nil pointer evaluating ${typ.name}.${fieldName}`);
    const method = findMethod(recv.t, fieldName, true);
    if (method) {
      const m = method.m;
      const def: FuncDef = {
        params: m.params,
        variadic: m.variadic,
        call: (argv) => {
          let r = recv;
          if (r.t.kind === 'ptr' && isNil(r)) err('runtime error: invalid memory address or nil pointer dereference');
          for (const f of method.path) {
            if (r.t.kind === 'ptr') {
              if (isNil(r)) err('runtime error: invalid memory address or nil pointer dereference');
              r = deref(r);
            }
            r = fieldByPath(r, [f]);
          }
          if (r.t.kind === 'ptr' && isNil(r)) err('runtime error: invalid memory address or nil pointer dereference');
          return m.call(r, argv);
        },
      };
      return this.evalCall(dot, def, node, fieldName, args, final);
    }
    const hasArgs = (args !== null && args.length > 1) || !isMissing(final);
    switch (recv.t.kind) {
      case 'struct': {
        const found = findField(recv.t, fieldName);
        if (found) {
          const last = found.path[found.path.length - 1]!;
          if (!last.exported) this.errorf(`${fieldName} is an unexported field of struct type ${typ.name}`);
          let v: GoValue;
          try {
            v = fieldByPath(recv, found.path);
          } catch (e) {
            if (e instanceof GoCallError) this.errorf(e.message);
            throw e;
          }
          if (hasArgs) this.errorf(`${fieldName} has arguments but cannot be invoked as function`);
          return v;
        }
        break;
      }
      case 'map':
        if (recv.t.key!.kind === 'string' && assignable(S, recv.t.key!)) {
          if (hasArgs) this.errorf(`${fieldName} is not a method but has arguments`);
          return mapValue(recv, fieldName) ?? INVALID;
        }
        break;
      case 'ptr': {
        const et = recv.t.elem!;
        if (et.kind === 'struct' && !findField(et, fieldName)) break;
        if (nilPtr) this.errorf(`nil pointer evaluating ${typ.name}.${fieldName}`);
      }
    }
    return this.errorf(`can't evaluate field ${fieldName} in type ${typ.name}`);
  }

  private evalCall(dot: GoValue, f: FuncDef, node: Node, name: string, args: Node[] | null, final: GoValue): GoValue {
    const argNodes = args ? args.slice(1) : [];
    const nParams = f.params.length;
    let numIn = argNodes.length + (isMissing(final) ? 0 : 1);
    let numFixed = argNodes.length;
    if (f.variadic) {
      numFixed = nParams - 1;
      if (numIn < numFixed) this.errorf(`wrong number of args for ${name}: want at least ${nParams - 1} got ${argNodes.length}`);
    } else if (numIn !== nParams) this.errorf(`wrong number of args for ${name}: want ${nParams} got ${numIn}`);

    if (f.builtin && (name === 'and' || name === 'or')) {
      let v: GoValue = INVALID;
      for (const a of argNodes) {
        v = this.evalArg(dot, RV, a);
        if (truth(v) === (name === 'or')) return v;
      }
      if (!isMissing(final)) v = this.validateType(final, RV);
      return v;
    }

    const argv: GoValue[] = [];
    let i = 0;
    for (; i < numFixed && i < argNodes.length; i++) argv.push(this.evalArg(dot, f.params[i]!, argNodes[i]!));
    if (f.variadic) {
      const elem = f.params[nParams - 1]!.elem!;
      for (; i < argNodes.length; i++) argv.push(this.evalArg(dot, elem, argNodes[i]!));
    }
    if (!isMissing(final)) {
      let t = f.params[nParams - 1]!;
      if (f.variadic) t = numIn - 1 < numFixed ? f.params[numIn - 1]! : t.elem!;
      argv.push(this.validateType(final, t));
    }
    numIn = argv.length;
    if (f.builtin && name === 'call') {
      // The callee's name: its node, or (piped in) reflect.Value's String of the value.
      const callee = argNodes[0] ? nodeString(argNodes[0]) : final.t.kind === 'string' ? (final.v as string) : final.t.kind === 'invalid' ? '<invalid Value>' : `<${final.t.name} Value>`;
      const fnv = indirectInterface(argv[0]!);
      this.at(node);
      if (fnv.t.kind === 'invalid') this.errorf('error calling call: call of nil');
      this.errorf(`error calling call: non-function ${callee} of type ${fnv.t.name}`);
    }
    try {
      return f.call(argv);
    } catch (e) {
      if (e instanceof GoCallError) {
        this.at(node);
        this.errorf(`error calling ${name}: ${e.message}`);
      }
      if (e instanceof LimitError) {
        this.at(node);
        this.errorf(`output exceeds the ${OUTPUT_LIMIT / 1024 / 1024} MiB this terminal accepts`);
      }
      throw e;
    }
  }

  private validateType(value: GoValue, typ: GoType | null): GoValue {
    if (value.t.kind === 'invalid') {
      if (typ === null) return INVALID;
      if (typ === RV || isNillable(typ.kind)) return zeroValue(typ);
      this.errorf(`invalid value; expected ${typ.name}`);
    }
    if (typ === RV) return value;
    if (typ !== null && !assignable(value.t, typ)) {
      if (value.t.kind === 'iface' && !isNil(value)) {
        const inner = value.v as GoValue;
        if (assignable(inner.t, typ)) return inner;
      }
      if (value.t.kind === 'ptr' && assignable(value.t.elem!, typ)) {
        if (isNil(value)) this.errorf(`dereference of nil pointer of type ${typ.name}`);
        return deref(value);
      }
      this.errorf(`wrong type for value; expected ${typ.name}; got ${value.t.name}`);
    }
    return value;
  }

  private evalArg(dot: GoValue, typ: GoType | null, n: Node): GoValue {
    this.at(n);
    switch (n.type) {
      case 'dot':
        return this.validateType(dot, typ);
      case 'nil':
        if (typ === null) return this.errorf('cannot assign nil to <nil>');
        if (typ === RV || isNillable(typ.kind)) return zeroValue(typ);
        return this.errorf(`cannot assign nil to ${typ.name}`);
      case 'field':
        return this.validateType(this.evalFieldNode(dot, n, [n], MISSING), typ);
      case 'variable':
        return this.validateType(this.evalVariableNode(dot, n, null, MISSING), typ);
      case 'pipe':
        return this.validateType(this.evalPipeline(dot, n), typ);
      case 'identifier':
        return this.validateType(this.evalFunction(dot, n, n, null, MISSING), typ);
      case 'chain':
        return this.validateType(this.evalChainNode(dot, n, null, MISSING), typ);
    }
    if (typ === null) return this.errorf(`can't handle ${nodeString(n)} for arg of type <nil>`);
    const k = typ.kind;
    if (k === 'bool') {
      if (n.type === 'bool') return { t: typ, v: n.value };
      return this.errorf(`expected bool; found ${nodeString(n)}`);
    }
    if (k === 'complex128') {
      if (n.type === 'number' && n.isComplex) return { t: typ, v: n.complex };
      return this.errorf(`expected complex; found ${nodeString(n)}`);
    }
    if (isFloatKind(k)) {
      if (n.type === 'number' && n.isFloat) return goFloat(n.float64, typ);
      return this.errorf(`expected float; found ${nodeString(n)}`);
    }
    if (isIntKind(k)) {
      if (n.type === 'number' && n.isInt) return { t: typ, v: wrapInt(k, n.int64) };
      return this.errorf(`expected integer; found ${nodeString(n)}`);
    }
    if (isUintKind(k)) {
      if (n.type === 'number' && n.isUint) return { t: typ, v: wrapInt(k, n.uint64) };
      return this.errorf(`expected unsigned integer; found ${nodeString(n)}`);
    }
    if (k === 'string') {
      if (n.type === 'string') return { t: typ, v: n.text };
      return this.errorf(`expected string; found ${nodeString(n)}`);
    }
    if (typ === RV || (k === 'iface' && typ.name === 'interface {}')) return this.evalEmptyInterface(dot, n);
    return this.errorf(`can't handle ${nodeString(n)} for arg of type ${typ.name}`);
  }

  private evalEmptyInterface(dot: GoValue, n: Node): GoValue {
    this.at(n);
    switch (n.type) {
      case 'bool':
        return goBool(n.value);
      case 'dot':
        return dot;
      case 'number':
        return this.idealConstant(n);
      case 'string':
        return goString(n.text);
    }
    return this.errorf(`can't handle assignment of ${nodeString(n)} to empty interface argument`);
  }

  private printValue(n: Node, v: GoValue): void {
    this.at(n);
    const p = printable(v);
    this.write(typeof p === 'string' ? p : sprint([p]));
  }
}

// ================================================================== data

/** A JavaScript value with no Go schema, typed as encoding/json would decode it into a struct. */
function dynamicType(data: unknown, name: string): GoType {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return T.any;
  const fields = Object.entries(data as Record<string, unknown>).map(([k, x]) => {
    let t: GoType;
    if (typeof x === 'string') t = T.string;
    else if (typeof x === 'boolean') t = T.bool;
    else if (typeof x === 'number') t = Number.isInteger(x) ? T.int : T.float64;
    else if (Array.isArray(x)) t = sliceOf(T.any);
    else if (x !== null && typeof x === 'object') t = dynamicType(x, '');
    else t = T.any;
    return goField(k, t);
  });
  const anon = `struct { ${fields.map((f) => `${f.name} ${f.type.name}`).join('; ')} }`;
  return structType(name || anon, () => fields, name !== '');
}

const ROOT_TYPES = new Map<string, GoType | undefined>();

function rootValue(data: unknown, typeName: string): GoValue {
  if (!ROOT_TYPES.has(typeName)) ROOT_TYPES.set(typeName, rootType(typeName, (g) => goJsonCompact(g.v as object)));
  const t = ROOT_TYPES.get(typeName);
  if (!t) {
    const dt = dynamicType(data, typeName === 'struct' ? '' : typeName);
    return dt === T.any ? (data === null || data === undefined ? INVALID : (fromAny(data) ?? INVALID)) : val(dt, data);
  }
  return val(t, data);
}

const fromAny = (data: unknown): GoValue | null => {
  if (typeof data === 'string') return goString(data);
  if (typeof data === 'boolean') return goBool(data);
  if (typeof data === 'number') return Number.isInteger(data) ? goInt(data) : goFloat(data);
  if (Array.isArray(data)) return { t: sliceOf(T.any), v: data };
  return null;
};


// ================================================================== API

export interface Template {
  /** Runs the template; throws TemplateError (with `partial` output) as Go's Execute fails. */
  execute(data: unknown): string;
  /**
   * The header row of a `table` format, as docker/cli's Context.postFormat renders it after the
   * rows: the template runs on the header map (formatter.SubHeaderContext, so an unknown field
   * is `<no value>`) with templates.HeaderFunctions, and an error only cuts the header short.
   */
  executeHeader(headers: Record<string, string>): string;
}

function funcsFor(name: string): Record<string, FuncDef> {
  return name === 'version' ? { ...BUILTINS, ...DOCKER_FUNCS, ...VERSION_FUNCS } : { ...BUILTINS, ...DOCKER_FUNCS };
}

/** Parses a Go template; throws TemplateError with Go's parse error text. */
export function parseTemplate(source: string, options: TemplateOptions = {}): Template {
  const name = options.name ?? '';
  const typeName = options.rootType ?? 'struct';
  const funcs = funcsFor(name);
  const trees = new Map<string, Tree>();
  try {
    new Parser(source, name, new Set(Object.keys(funcs)), trees).parse();
  } catch (e) {
    if (e instanceof RangeError) throw new TemplateError(`template: ${name}:1: max expression depth exceeded`);
    throw e;
  }
  return {
    execute(data: unknown): string {
      const tree = trees.get(name);
      const ex: Executor = new Executor(source, name, trees, funcs);
      try {
        if (!tree) ex.errorf(`${quote(name)} is an incomplete or empty template`);
        return displayString(ex.run(tree.root, rootValue(data, typeName)));
      } catch (e) {
        let te: TemplateError;
        if (e instanceof TemplateError) te = e;
        else if (e instanceof RangeError) te = new TemplateError(`template: ${name}: exceeded maximum template depth (100000)`);
        else throw e;
        te.partial = displayString(ex.out);
        throw te;
      }
    },
    executeHeader(headers: Record<string, string>): string {
      const tree = trees.get(name);
      const ex: Executor = new Executor(source, name, trees, { ...funcs, ...HEADER_FUNCS });
      if (!tree) return '';
      try {
        return displayString(ex.run(tree.root, { t: SUB_HEADER_T, v: headers }));
      } catch (e) {
        if (e instanceof TemplateError || e instanceof RangeError) return displayString(ex.out);
        throw e;
      }
    },
  };
}

/** Parses and runs in one go. */
export function executeTemplate(source: string, data: unknown, options: TemplateOptions = {}): string {
  return parseTemplate(source, options).execute(data);
}
