// Go's fmt (Sprint, Sprintln, Sprintf and the %v the templates print with), strconv's quoting
// and float formatting, and encoding/json's Marshal, over GoValues: what docker's templates
// print for every verb and value, including the `%!d(string=x)` forms for mismatched ones.
import type { GoType, GoValue } from './go-types.js';
import {
  base64Encode,
  bytesString,
  decodeRune,
  deref,
  fieldsOf,
  fieldValue,
  findMethod,
  GoCallError,
  indexValue,
  isFloatKind,
  isIntKind,
  isNil,
  isUintKind,
  mapKeys,
  mapValue,
  parseGoTime,
  sliceLen,
  stringBytes,
  T,
} from './go-types.js';

// ------------------------------------------------------------------ strconv

const isPrintRune = (r: number): boolean => r === 0x20 || /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(String.fromCodePoint(r));

const hex = (n: number, w: number) => n.toString(16).padStart(w, '0');

function escapeRune(r: number, quote: number, ascii: boolean): string {
  if (r === quote || r === 0x5c) return '\\' + String.fromCodePoint(r);
  if (ascii ? r < 0x80 && isPrintRune(r) : isPrintRune(r)) return String.fromCodePoint(r);
  switch (r) {
    case 7:
      return '\\a';
    case 8:
      return '\\b';
    case 12:
      return '\\f';
    case 10:
      return '\\n';
    case 13:
      return '\\r';
    case 9:
      return '\\t';
    case 11:
      return '\\v';
  }
  if (r < 0x20 || r === 0x7f) return '\\x' + hex(r, 2);
  if (r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff)) r = 0xfffd;
  return r < 0x10000 ? '\\u' + hex(r, 4) : '\\U' + hex(r, 8);
}

function quoteWith(s: string, quote: number, ascii: boolean): string {
  const b = stringBytes(s);
  let out = String.fromCharCode(quote);
  for (let i = 0; i < b.length; ) {
    const [r, size] = decodeRune(b, i);
    out += r < 0 ? '\\x' + hex(b[i]!, 2) : escapeRune(r, quote, ascii);
    i += size;
  }
  return out + String.fromCharCode(quote);
}

/** strconv.Quote. */
export const quote = (s: string): string => quoteWith(s, 0x22, false);
export const quoteToASCII = (s: string): string => quoteWith(s, 0x22, true);

function quoteRune(r: number, ascii: boolean): string {
  if (r > 0x10ffff || r < 0 || (r >= 0xd800 && r <= 0xdfff)) r = 0xfffd;
  return "'" + escapeRune(r, 0x27, ascii) + "'";
}

export function canBackquote(s: string): boolean {
  const b = stringBytes(s);
  for (let i = 0; i < b.length; ) {
    const [r, size] = decodeRune(b, i);
    i += size;
    if (size > 1) {
      if (r === 0xfeff) return false;
      continue;
    }
    if (r < 0) return false;
    if ((r < 0x20 && r !== 9) || r === 0x60 || r === 0x7f) return false;
  }
  return true;
}

/** strconv.Unquote (Go string and char literals); throws 'invalid syntax'. */
export function unquote(lit: string): string {
  const q = lit[0];
  if (lit.length < 2 || lit[lit.length - 1] !== q) throw new SyntaxError('invalid syntax');
  const body = lit.slice(1, -1);
  if (q === '`') {
    if (body.includes('`')) throw new SyntaxError('invalid syntax');
    return body.replaceAll('\r', '');
  }
  if (q !== '"' && q !== "'") throw new SyntaxError('invalid syntax');
  const bytes: number[] = [];
  const b = stringBytes(body);
  let runes = 0;
  for (let i = 0; i < b.length; ) {
    const c = b[i]!;
    if (c === q.charCodeAt(0) && q === "'") throw new SyntaxError('invalid syntax');
    if (c === 0x22 && q === '"') throw new SyntaxError('invalid syntax');
    if (c === 10) throw new SyntaxError('invalid syntax');
    runes++;
    if (c !== 0x5c) {
      const [, size] = decodeRune(b, i);
      bytes.push(...b.slice(i, i + size));
      i += size;
      continue;
    }
    const e = String.fromCharCode(b[i + 1] ?? 0);
    i += 2;
    const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 0x5c };
    if (e in simple) bytes.push(simple[e]!);
    else if (e === q) bytes.push(q.charCodeAt(0));
    else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const digits = String.fromCharCode(...b.slice(i, i + n));
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(digits)) throw new SyntaxError('invalid syntax');
      const v = parseInt(digits, 16);
      i += n;
      if (e === 'x') {
        if (q === "'") bytes.push(...stringBytes(String.fromCodePoint(v)));
        else bytes.push(v);
      } else {
        if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) throw new SyntaxError('invalid syntax');
        bytes.push(...stringBytes(String.fromCodePoint(v)));
      }
    } else if (e >= '0' && e <= '7') {
      const digits = String.fromCharCode(...b.slice(i - 1, i + 2));
      if (!/^[0-7]{3}$/.test(digits)) throw new SyntaxError('invalid syntax');
      const v = parseInt(digits, 8);
      if (v > 255) throw new SyntaxError('invalid syntax');
      i += 2;
      bytes.push(v);
    } else throw new SyntaxError('invalid syntax');
  }
  if (q === "'" && runes !== 1) throw new SyntaxError('invalid syntax');
  return bytesString(bytes);
}

// ------------------------------------------------------------------ floats

/** Exact decimal digits of a finite double: [digits without trailing zeros, decimal point]. */
function exactDigits(x: number): [string, number] {
  if (x === 0) return ['', 0];
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, Math.abs(x));
  const hi = dv.getUint32(0);
  const lo = dv.getUint32(4);
  let e = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (e === 0) e = 1;
  else mant |= 1n << 52n;
  e -= 1075;
  let digits: string;
  let dp: number;
  if (e >= 0) {
    digits = (mant << BigInt(e)).toString();
    dp = digits.length;
  } else {
    digits = (mant * 5n ** BigInt(-e)).toString();
    dp = digits.length + e;
  }
  const trimmed = digits.replace(/0+$/, '');
  return [trimmed, dp];
}

/** decimal.Round: keeps nd digits, rounding half to even on exact ties. */
function roundDigits(d: string, dp: number, nd: number): [string, number] {
  if (nd < 0 || nd >= d.length) return [d, dp];
  const up = d[nd]! > '5' || (d[nd] === '5' && (nd + 1 < d.length || (nd > 0 && (d.charCodeAt(nd - 1) - 48) % 2 === 1)));
  if (!up) return [d.slice(0, nd).replace(/0+$/, ''), dp];
  let i = nd - 1;
  while (i >= 0 && d[i] === '9') i--;
  if (i < 0) return ['1', dp + 1];
  return [d.slice(0, i) + String.fromCharCode(d.charCodeAt(i) + 1), dp];
}

/** Shortest digits that read back as the same float32/float64. */
function shortestDigits(x: number, bits: 32 | 64): [string, number] {
  if (x === 0) return ['', 0];
  const ax = Math.abs(x);
  let s = ax.toExponential();
  if (bits === 32) {
    for (let p = 0; p < 9; p++) {
      const t = ax.toExponential(p);
      if (Math.fround(Number(t)) === ax) {
        s = t;
        break;
      }
    }
  }
  const [m, e] = s.split('e') as [string, string];
  const digits = m.replace('.', '').replace(/0+$/, '');
  return [digits, Number(e) + 1];
}

function fmtE(neg: boolean, d: string, dp: number, prec: number, ch: string): string {
  let out = neg ? '-' : '';
  out += d.length > 0 ? d[0] : '0';
  if (prec > 0) {
    out += '.';
    const rest = d.slice(1, 1 + prec);
    out += rest + '0'.repeat(prec - rest.length);
  }
  const exp = d.length === 0 ? 0 : dp - 1;
  out += ch + (exp < 0 ? '-' : '+');
  const a = Math.abs(exp);
  out += a < 10 ? '0' + a : String(a);
  return out;
}

function fmtF(neg: boolean, d: string, dp: number, prec: number): string {
  let out = neg ? '-' : '';
  if (dp > 0) out += d.slice(0, dp).padEnd(dp, '0');
  else out += '0';
  if (prec > 0) {
    out += '.';
    for (let i = 1; i <= prec; i++) {
      const j = dp + i - 1;
      out += j >= 0 && j < d.length ? d[j] : '0';
    }
  }
  return out;
}

function float64Bits(x: number): [boolean, bigint, number] {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, x);
  const hi = dv.getUint32(0);
  const lo = dv.getUint32(4);
  return [hi >>> 31 === 1, (BigInt(hi & 0xfffff) << 32n) | BigInt(lo), (hi >>> 20) & 0x7ff];
}

/** strconv.FormatFloat(x, fmt, prec, bits). */
export function formatFloat(x: number, fmt: string, prec: number, bits: 32 | 64): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  const neg = x < 0 || Object.is(x, -0);
  if (fmt === 'b') {
    let [, mant, e] = float64Bits(x);
    if (bits === 32) {
      const dv = new DataView(new ArrayBuffer(4));
      dv.setFloat32(0, x);
      const u = dv.getUint32(0);
      mant = BigInt(u & 0x7fffff);
      e = (u >>> 23) & 0xff;
      if (e === 0) e = 1;
      else mant |= 1n << 23n;
      return `${neg ? '-' : ''}${mant}p${e - 150 >= 0 ? '+' : ''}${e - 150}`;
    }
    if (e === 0) e = 1;
    else mant |= 1n << 52n;
    return `${neg ? '-' : ''}${mant}p${e - 1075 >= 0 ? '+' : ''}${e - 1075}`;
  }
  if (fmt === 'x' || fmt === 'X') return hexFloat(x, prec, bits, fmt);
  const ax = Math.abs(x);
  const shortest = prec < 0;
  let d: string;
  let dp: number;
  if (shortest) {
    [d, dp] = shortestDigits(ax, bits);
    if (fmt === 'e' || fmt === 'E') prec = Math.max(d.length - 1, 0);
    else if (fmt === 'f') prec = Math.max(d.length - dp, 0);
    else prec = d.length;
  } else {
    [d, dp] = exactDigits(ax);
    if (fmt === 'e' || fmt === 'E') [d, dp] = roundDigits(d, dp, prec + 1);
    else if (fmt === 'f') [d, dp] = roundDigits(d, dp, dp + prec);
    else {
      if (prec === 0) prec = 1;
      [d, dp] = roundDigits(d, dp, prec);
    }
  }
  switch (fmt) {
    case 'e':
    case 'E':
      return fmtE(neg, d, dp, prec, fmt);
    case 'f':
      return fmtF(neg, d, dp, prec);
    default: {
      // g, G
      let eprec = prec;
      if (eprec > d.length && d.length >= dp) eprec = d.length;
      if (shortest) eprec = 6;
      const exp = dp - 1;
      if (exp < -4 || exp >= eprec) {
        if (prec > d.length) prec = d.length;
        return fmtE(neg, d, dp, prec - 1, fmt === 'g' ? 'e' : 'E');
      }
      if (prec > dp) prec = d.length;
      return fmtF(neg, d, dp, Math.max(prec - dp, 0));
    }
  }
}

function hexFloat(x: number, prec: number, bits: 32 | 64, fmt: string): string {
  const neg = x < 0 || Object.is(x, -0);
  const ax = Math.abs(x);
  let mant = 0n;
  let exp = 0;
  if (ax !== 0) {
    let [, m, e] = float64Bits(ax);
    if (e === 0) {
      e = 1;
    } else m |= 1n << 52n;
    exp = e - 1075;
    mant = m;
    // Normalise so the leading 1 is bit 60.
    while (mant !== 0n && mant < 1n << 60n) {
      mant <<= 1n;
      exp--;
    }
    exp += 60;
    if (bits === 32) void 0;
  }
  // mant = 1.xxxx (60 fraction bits); exp is the binary exponent.
  if (prec >= 0 && prec < 15 && mant !== 0n) {
    const shift = BigInt(60 - prec * 4);
    const half = 1n << (shift - 1n);
    const rem = mant & ((1n << shift) - 1n);
    mant >>= shift;
    if (rem > half || (rem === half && (mant & 1n) === 1n)) mant++;
    if (mant >> BigInt(prec * 4 + 1) !== 0n) {
      mant >>= 1n;
      exp++;
    }
    mant <<= shift;
  }
  const digits = fmt === 'X' ? '0123456789ABCDEF' : '0123456789abcdef';
  let out = (neg ? '-' : '') + '0' + fmt + String(Number(mant >> 60n));
  let frac = mant & ((1n << 60n) - 1n);
  let fd = '';
  for (let i = 0; i < 15; i++) {
    fd += digits[Number((frac >> 56n) & 15n)];
    frac = (frac << 4n) & ((1n << 60n) - 1n);
  }
  fd = prec < 0 ? fd.replace(/0+$/, '') : fd.slice(0, prec).padEnd(prec, '0');
  if (fd) out += '.' + fd;
  out += fmt === 'X' ? 'P' : 'p';
  out += exp < 0 ? '-' : '+';
  out += Math.abs(exp) < 10 ? '0' + Math.abs(exp) : String(Math.abs(exp));
  return out;
}

// ------------------------------------------------------------------ fake addresses

const addresses = new WeakMap<object, bigint>();
let nextAddress = 0n;

/** A pointer value, as Go prints one: a plausible heap address (Go's differ run to run). */
function addressOf(g: GoValue): bigint {
  if (isNil(g)) return 0n;
  const key = g.v;
  if (key !== null && typeof key === 'object') {
    let a = addresses.get(key);
    if (a === undefined) {
      a = 0xc000010000n + nextAddress++ * 0x30n;
      addresses.set(key, a);
    }
    return a;
  }
  return 0xc000010000n + nextAddress++ * 0x30n;
}

// ------------------------------------------------------------------ the printer

interface Flags {
  plus: boolean;
  minus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  plusV: boolean;
  sharpV: boolean;
  widPresent: boolean;
  precPresent: boolean;
  wid: number;
  prec: number;
}

const noFlags = (): Flags => ({ plus: false, minus: false, sharp: false, space: false, zero: false, plusV: false, sharpV: false, widPresent: false, precPresent: false, wid: 0, prec: 0 });

const LDIGITS = '0123456789abcdefx';
const UDIGITS = '0123456789ABCDEFX';

const runeCount = (s: string) => [...s].length;

/** Exact (unnamed, predeclared) types fmt prints without looking for methods. */
const SIMPLE = new Set<GoType>([T.bool, T.string, T.int, T.int8, T.int16, T.int32, T.int64, T.uint, T.uint8, T.uint16, T.uint32, T.uint64, T.uintptr, T.float32, T.float64, T.complex128]);
const isByteSlice = (t: GoType) => t.kind === 'slice' && t.elem!.kind === 'uint8' && !t.named && t.elem === T.uint8;

/** A value's Stringer, when its method set has `String() string` (throws NilReceiver through nil). */
function stringerOf(g: GoValue): (() => string) | undefined {
  const found = findMethod(g.t, 'String', false);
  if (!found || found.m.params.length > 0 || found.m.result.kind !== 'string') return undefined;
  return () => {
    let recv = g;
    for (const f of found.path) {
      if (recv.t.kind === 'ptr') {
        if (isNil(recv)) throw new NilReceiver();
        recv = deref(recv);
      }
      recv = fieldValue(recv, f);
    }
    if (recv.t.kind === 'ptr' && isNil(recv)) throw new NilReceiver();
    return found.m.call(recv, []).v as string;
  };
}

class NilReceiver extends Error {}

export class Printer {
  buf = '';
  private f: Flags = noFlags();
  private erroring = false;
  /** The current operand as an interface value (null: nil; undefined: none). */
  private arg: GoValue | null | undefined;
  private value: GoValue | undefined;

  // ---------------------------------------------------------------- padding

  private writePadding(n: number): void {
    if (n <= 0) return;
    this.buf += (this.f.zero && !this.f.minus ? '0' : ' ').repeat(n);
  }

  private pad(s: string): void {
    if (!this.f.widPresent || this.f.wid === 0) {
      this.buf += s;
      return;
    }
    const width = this.f.wid - runeCount(s);
    if (!this.f.minus) {
      this.writePadding(width);
      this.buf += s;
    } else {
      this.buf += s;
      this.writePadding(width);
    }
  }

  // ---------------------------------------------------------------- basic formatters

  private fmtBoolean(v: boolean): void {
    this.pad(v ? 'true' : 'false');
  }

  private fmtIntegerBase(u: bigint, base: number, isSigned: boolean, verb: string, digits: string): void {
    const f = this.f;
    let v = isSigned ? BigInt.asIntN(64, u) : BigInt.asUintN(64, u);
    const negative = isSigned && v < 0n;
    if (negative) v = -v;
    let prec = 0;
    if (f.precPresent) {
      prec = f.prec;
      if (prec === 0 && v === 0n) {
        const oldZero = f.zero;
        f.zero = false;
        this.writePadding(f.wid);
        f.zero = oldZero;
        return;
      }
    } else if (f.zero && !f.minus && f.widPresent) {
      prec = f.wid;
      if (negative || f.plus || f.space) prec--;
    }
    let s = v.toString(base);
    if (digits === UDIGITS) s = s.toUpperCase();
    if (s.length < prec) s = '0'.repeat(prec - s.length) + s;
    if (f.sharp) {
      if (base === 2) s = '0b' + s;
      else if (base === 8 && s[0] !== '0') s = '0' + s;
      else if (base === 16) s = '0' + digits[16] + s;
    }
    if (verb === 'O') s = '0o' + s;
    if (negative) s = '-' + s;
    else if (f.plus) s = '+' + s;
    else if (f.space) s = ' ' + s;
    const oldZero = f.zero;
    f.zero = false;
    this.pad(s);
    f.zero = oldZero;
  }

  private fmt0x64(v: bigint, leading0x: boolean): void {
    const sharp = this.f.sharp;
    this.f.sharp = leading0x;
    this.fmtIntegerBase(v, 16, false, 'v', LDIGITS);
    this.f.sharp = sharp;
  }

  private fmtUnicode(u: bigint): void {
    u = BigInt.asUintN(64, u);
    let prec = 4;
    if (this.f.precPresent && this.f.prec > 4) prec = this.f.prec;
    let s = u.toString(16).toUpperCase();
    if (s.length < prec) s = '0'.repeat(prec - s.length) + s;
    s = 'U+' + s;
    if (this.f.sharp && u <= 0x10ffffn && isPrintRune(Number(u)) && !(u >= 0xd800n && u <= 0xdfffn)) s += " '" + String.fromCodePoint(Number(u)) + "'";
    const oldZero = this.f.zero;
    this.f.zero = false;
    this.pad(s);
    this.f.zero = oldZero;
  }

  private fmtC(c: bigint): void {
    let r = Number(BigInt.asUintN(64, c) > 0x10ffffn ? 0xfffdn : c);
    if (r >= 0xd800 && r <= 0xdfff) r = 0xfffd;
    this.pad(String.fromCodePoint(r));
  }

  private fmtQc(c: bigint): void {
    const r = BigInt.asUintN(64, c) > 0x10ffffn ? 0xfffd : Number(c);
    this.pad(quoteRune(r, this.f.plus));
  }

  private fmtInteger(v: bigint, isSigned: boolean, verb: string): void {
    switch (verb) {
      case 'v':
        if (this.f.sharpV && !isSigned) this.fmt0x64(v, true);
        else this.fmtIntegerBase(v, 10, isSigned, verb, LDIGITS);
        return;
      case 'd':
        return this.fmtIntegerBase(v, 10, isSigned, verb, LDIGITS);
      case 'b':
        return this.fmtIntegerBase(v, 2, isSigned, verb, LDIGITS);
      case 'o':
      case 'O':
        return this.fmtIntegerBase(v, 8, isSigned, verb, LDIGITS);
      case 'x':
        return this.fmtIntegerBase(v, 16, isSigned, verb, LDIGITS);
      case 'X':
        return this.fmtIntegerBase(v, 16, isSigned, verb, UDIGITS);
      case 'c':
        return this.fmtC(v);
      case 'q':
        return this.fmtQc(v);
      case 'U':
        return this.fmtUnicode(v);
      default:
        this.badVerb(verb);
    }
  }

  private fmtFloatWith(v: number, size: 32 | 64, verb: string, prec: number): void {
    const f = this.f;
    if (f.precPresent) prec = f.prec;
    let num = formatFloat(v, verb, prec, size);
    num = num[0] === '-' || num[0] === '+' ? num : '+' + num;
    if (f.space && num[0] === '+' && !f.plus) num = ' ' + num.slice(1);
    if (num[1] === 'I' || num[1] === 'N') {
      const oldZero = f.zero;
      f.zero = false;
      if (num[1] === 'N' && !f.space && !f.plus) num = num.slice(1);
      this.pad(num);
      f.zero = oldZero;
      return;
    }
    if (f.sharp && verb !== 'b') {
      let digits = 0;
      if (verb === 'v' || verb === 'g' || verb === 'G' || verb === 'x') digits = prec === -1 ? 6 : prec;
      let tail = '';
      let body = num;
      const m = /[pP]|[eE](?=[-+])/.exec(body.slice(1));
      if (m && !((verb === 'x' || verb === 'X') && /[eE]/.test(m[0]))) {
        tail = body.slice(1 + m.index);
        body = body.slice(0, 1 + m.index);
      }
      let hasPoint = false;
      let sawNonzero = false;
      for (let i = 1; i < body.length; i++) {
        const c = body[i]!;
        if (c === '.') hasPoint = true;
        else {
          if (c !== '0') sawNonzero = true;
          if (sawNonzero) digits--;
        }
      }
      if (!hasPoint) {
        if (body.length === 2 && body[1] === '0') digits--;
        body += '.';
      }
      while (digits > 0) {
        body += '0';
        digits--;
      }
      num = body + tail;
    }
    if (f.plus || num[0] !== '+') {
      if (f.zero && !f.minus && f.widPresent && f.wid > num.length) {
        this.buf += num[0];
        this.writePadding(f.wid - num.length);
        this.buf += num.slice(1);
        return;
      }
      this.pad(num);
      return;
    }
    this.pad(num.slice(1));
  }

  private fmtFloat(v: number, size: 32 | 64, verb: string): void {
    switch (verb) {
      case 'v':
        return this.fmtFloatWith(v, size, 'g', -1);
      case 'b':
      case 'g':
      case 'G':
      case 'x':
      case 'X':
        return this.fmtFloatWith(v, size, verb, -1);
      case 'f':
      case 'e':
      case 'E':
        return this.fmtFloatWith(v, size, verb, 6);
      case 'F':
        return this.fmtFloatWith(v, size, 'f', 6);
      default:
        this.badVerb(verb);
    }
  }

  private fmtComplex(c: { re: number; im: number }, verb: string): void {
    if (!'vbgGxXfFeE'.includes(verb) || verb === '') {
      this.badVerb(verb);
      return;
    }
    const oldPlus = this.f.plus;
    this.buf += '(';
    this.fmtFloat(c.re, 64, verb);
    this.f.plus = true;
    this.fmtFloat(c.im, 64, verb);
    this.buf += 'i)';
    this.f.plus = oldPlus;
  }

  private truncateString(s: string): string {
    if (!this.f.precPresent) return s;
    return [...s].slice(0, Math.max(this.f.prec, 0)).join('');
  }

  private fmtS(s: string): void {
    this.pad(this.truncateString(s));
  }

  private fmtSbx(b: number[], digits: string): void {
    const f = this.f;
    let length = b.length;
    if (f.precPresent && f.prec < length) length = f.prec;
    let width = 2 * length;
    if (width > 0) {
      if (f.space) {
        if (f.sharp) width *= 2;
        width += length - 1;
      } else if (f.sharp) width += 2;
    } else {
      if (f.widPresent) this.writePadding(f.wid);
      return;
    }
    if (f.widPresent && f.wid > width && !f.minus) this.writePadding(f.wid - width);
    let out = f.sharp ? '0' + digits[16] : '';
    for (let i = 0; i < length; i++) {
      if (f.space && i > 0) {
        out += ' ';
        if (f.sharp) out += '0' + digits[16];
      }
      const c = b[i]!;
      out += digits[c >> 4]! + digits[c & 15]!;
    }
    this.buf += out;
    if (f.widPresent && f.wid > width && f.minus) this.writePadding(f.wid - width);
  }

  private fmtQ(s: string): void {
    s = this.truncateString(s);
    if (this.f.sharp && canBackquote(s)) {
      this.pad('`' + s + '`');
      return;
    }
    this.pad(this.f.plus ? quoteToASCII(s) : quote(s));
  }

  private fmtString(v: string, verb: string): void {
    switch (verb) {
      case 'v':
        if (this.f.sharpV) this.fmtQ(v);
        else this.fmtS(v);
        return;
      case 's':
        return this.fmtS(v);
      case 'x':
        return this.fmtSbx(stringBytes(v), LDIGITS);
      case 'X':
        return this.fmtSbx(stringBytes(v), UDIGITS);
      case 'q':
        return this.fmtQ(v);
      default:
        this.badVerb(verb);
    }
  }

  private fmtBool(v: boolean, verb: string): void {
    if (verb === 't' || verb === 'v') this.fmtBoolean(v);
    else this.badVerb(verb);
  }

  private fmtBytes(v: number[] | null, verb: string, typeString: string, g: GoValue): void {
    switch (verb) {
      case 'v':
      case 'd':
        if (this.f.sharpV) {
          this.buf += typeString;
          if (v === null) {
            this.buf += '(nil)';
            return;
          }
          this.buf += '{';
          v.forEach((c, i) => {
            if (i > 0) this.buf += ', ';
            this.fmt0x64(BigInt(c), true);
          });
          this.buf += '}';
        } else {
          this.buf += '[';
          (v ?? []).forEach((c, i) => {
            if (i > 0) this.buf += ' ';
            this.fmtIntegerBase(BigInt(c), 10, false, verb, LDIGITS);
          });
          this.buf += ']';
        }
        return;
      case 's': {
        const s = bytesString(v ?? []);
        this.pad(this.truncateString(s));
        return;
      }
      case 'x':
        return this.fmtSbx(v ?? [], LDIGITS);
      case 'X':
        return this.fmtSbx(v ?? [], UDIGITS);
      case 'q':
        return this.fmtQ(bytesString(v ?? []));
      default:
        this.printValue(g, verb, 0);
    }
  }

  private fmtPointer(g: GoValue, verb: string): void {
    const k = g.t.kind;
    if (k !== 'ptr' && k !== 'map' && k !== 'slice') {
      this.badVerb(verb);
      return;
    }
    const u = addressOf(g);
    switch (verb) {
      case 'v':
        if (this.f.sharpV) {
          this.buf += '(' + g.t.name + ')(';
          if (u === 0n) this.buf += 'nil';
          else this.fmt0x64(u, true);
          this.buf += ')';
        } else if (u === 0n) this.pad('<nil>');
        else this.fmt0x64(u, !this.f.sharp);
        return;
      case 'p':
        return this.fmt0x64(u, !this.f.sharp);
      case 'b':
      case 'o':
      case 'd':
      case 'x':
      case 'X':
        return this.fmtInteger(u, false, verb);
      default:
        this.badVerb(verb);
    }
  }

  private badVerb(verb: string): void {
    this.erroring = true;
    this.buf += '%!' + verb + '(';
    if (this.arg !== null && this.arg !== undefined) {
      this.buf += this.arg.t.name + '=';
      this.printArg(this.arg, 'v');
    } else if (this.value && this.value.t.kind !== 'invalid') {
      this.buf += this.value.t.name + '=';
      this.printValue(this.value, 'v', 0);
    } else this.buf += '<nil>';
    this.buf += ')';
    this.erroring = false;
  }

  private handleMethods(verb: string): boolean {
    if (this.erroring) return false;
    const arg = this.arg;
    if (arg === null || arg === undefined) return false;
    if (verb === 'w') {
      this.badVerb(verb);
      return true;
    }
    if (this.f.sharpV) {
      const gs = (arg.t.kind === 'ptr' ? undefined : arg.t.goString) ?? undefined;
      if (gs) {
        this.fmtS(gs(arg));
        return true;
      }
      return false;
    }
    if (!'vsxXq'.includes(verb)) return false;
    const str = stringerOf(arg);
    if (!str) return false;
    let s: string;
    try {
      s = str();
    } catch (e) {
      if (e instanceof NilReceiver) {
        this.buf += '<nil>';
        return true;
      }
      throw e;
    }
    this.fmtString(s, verb);
    return true;
  }

  /** printArg: an operand passed as interface{} (null: a nil interface). */
  printArg(arg: GoValue | null, verb: string): void {
    this.arg = arg;
    this.value = undefined;
    if (arg === null || arg.t.kind === 'invalid') {
      this.arg = null;
      if (verb === 'T' || verb === 'v') this.pad('<nil>');
      else this.badVerb(verb);
      return;
    }
    if (verb === 'T') {
      this.fmtS(arg.t.name);
      return;
    }
    if (verb === 'p') {
      this.fmtPointer(arg, 'p');
      return;
    }
    const t = arg.t;
    if (SIMPLE.has(t)) {
      if (t.kind === 'bool') this.fmtBool(arg.v as boolean, verb);
      else if (t.kind === 'string') this.fmtString(arg.v as string, verb);
      else if (isIntKind(t.kind)) this.fmtInteger(arg.v as bigint, true, verb);
      else if (isUintKind(t.kind)) this.fmtInteger(arg.v as bigint, false, verb);
      else if (isFloatKind(t.kind)) this.fmtFloat(arg.v as number, t.kind === 'float32' ? 32 : 64, verb);
      else this.fmtComplex(arg.v as { re: number; im: number }, verb);
      return;
    }
    if (isByteSlice(t)) {
      this.fmtBytes(arg.v as number[] | null, verb, '[]byte', arg);
      return;
    }
    if (!this.handleMethods(verb)) this.printValue(arg, verb, 0);
  }

  /** printValue: fmt's reflection printer (depth > 0 for elements and fields). */
  printValue(g: GoValue, verb: string, depth: number, canInterface = true): void {
    if (depth > 0 && g.t.kind !== 'invalid' && canInterface) {
      this.arg = g;
      if (this.handleMethods(verb)) return;
    }
    this.arg = null;
    this.value = g;
    const t = g.t;
    const f = this.f;
    switch (t.kind) {
      case 'invalid':
        if (depth === 0) this.buf += '<invalid reflect.Value>';
        else if (verb === 'v') this.buf += '<nil>';
        else this.badVerb(verb);
        return;
      case 'bool':
        return this.fmtBool(g.v as boolean, verb);
      case 'string':
        return this.fmtString(g.v as string, verb);
      case 'float32':
      case 'float64':
        return this.fmtFloat(g.v as number, t.kind === 'float32' ? 32 : 64, verb);
      case 'complex128':
        return this.fmtComplex(g.v as { re: number; im: number }, verb);
      case 'map': {
        if (f.sharpV) {
          this.buf += t.name;
          if (isNil(g)) {
            this.buf += '(nil)';
            return;
          }
          this.buf += '{';
        } else this.buf += 'map[';
        mapKeys(g).forEach((k, i) => {
          if (i > 0) this.buf += f.sharpV ? ', ' : ' ';
          this.printValue({ t: t.key!, v: k }, verb, depth + 1);
          this.buf += ':';
          this.printValue(mapValue(g, k)!, verb, depth + 1);
        });
        this.buf += f.sharpV ? '}' : ']';
        return;
      }
      case 'struct': {
        if (f.sharpV) this.buf += t.name;
        this.buf += '{';
        const fields = t.special === 'time' ? timeFields(g) : fieldsOf(t).map((fl) => [fl.name, fieldValue(g, fl), fl.exported] as const);
        fields.forEach(([name, fv, exported], i) => {
          if (i > 0) this.buf += f.sharpV ? ', ' : ' ';
          if (f.plusV || f.sharpV) this.buf += name + ':';
          const inner = fv.t.kind === 'iface' && !isNil(fv) ? (fv.v as GoValue) : fv;
          this.printValue(inner, verb, depth + 1, canInterface && exported);
        });
        this.buf += '}';
        return;
      }
      case 'iface': {
        if (isNil(g)) {
          if (f.sharpV) this.buf += t.name + '(nil)';
          else this.buf += '<nil>';
        } else this.printValue(g.v as GoValue, verb, depth + 1);
        return;
      }
      case 'slice':
      case 'array': {
        if ('sqxX'.includes(verb) && t.elem!.kind === 'uint8') {
          const bytes = Array.from({ length: sliceLen(g) }, (_, i) => Number(indexValue(g, i).v));
          this.fmtBytes(isNil(g) ? null : bytes, verb, t.name, g);
          return;
        }
        if (f.sharpV) {
          this.buf += t.name;
          if (t.kind === 'slice' && isNil(g)) {
            this.buf += '(nil)';
            return;
          }
          this.buf += '{';
        } else this.buf += '[';
        const n = sliceLen(g);
        for (let i = 0; i < n; i++) {
          if (i > 0) this.buf += f.sharpV ? ', ' : ' ';
          this.printValue(indexValue(g, i), verb, depth + 1, canInterface);
        }
        this.buf += f.sharpV ? '}' : ']';
        return;
      }
      case 'ptr': {
        if (depth === 0 && !isNil(g)) {
          const ek = t.elem!.kind;
          if (ek === 'array' || ek === 'slice' || ek === 'struct' || ek === 'map') {
            this.buf += '&';
            this.printValue(deref(g), verb, depth + 1, canInterface);
            return;
          }
        }
        return this.fmtPointer(g, verb);
      }
      default:
        if (isIntKind(t.kind)) return this.fmtInteger(g.v as bigint, true, verb);
        if (isUintKind(t.kind)) return this.fmtInteger(g.v as bigint, false, verb);
        this.buf += '?' + t.name + '?';
    }
  }

  // ---------------------------------------------------------------- entry points

  doPrint(args: (GoValue | null)[]): void {
    let prevString = false;
    args.forEach((arg, i) => {
      this.f = noFlags();
      const isString = arg !== null && arg.t.kind === 'string';
      if (i > 0 && !isString && !prevString) this.buf += ' ';
      this.printArg(arg, 'v');
      prevString = isString;
    });
  }

  doPrintln(args: (GoValue | null)[]): void {
    args.forEach((arg, i) => {
      this.f = noFlags();
      if (i > 0) this.buf += ' ';
      this.printArg(arg, 'v');
    });
    this.buf += '\n';
  }

  doPrintf(format: string, a: (GoValue | null)[]): void {
    // Go walks the format's bytes; a JS string of the same text walks the same characters.
    const end = format.length;
    let argNum = 0;
    let afterIndex = false;
    let reordered = false;
    let goodArgNum = true;
    const tooLarge = (x: number) => x > 1e6 || x < -1e6;
    const parsenum = (start: number): [number, boolean, number] => {
      if (start >= end) return [0, false, end];
      let num = 0;
      let isnum = false;
      let i = start;
      for (; i < end && format[i]! >= '0' && format[i]! <= '9'; i++) {
        if (tooLarge(num)) return [0, false, end];
        num = num * 10 + (format.charCodeAt(i) - 48);
        isnum = true;
      }
      return [num, isnum, i];
    };
    const argNumber = (argN: number, i: number): [number, number, boolean] => {
      if (i >= end || format[i] !== '[') return [argN, i, false];
      reordered = true;
      // parseArgNumber
      let index = 0;
      let wid = 1;
      let ok = false;
      for (let j = 1; j < end - i; j++) {
        if (format[i + j] === ']') {
          const [width, isnum, newi] = ((s: number, e: number): [number, boolean, number] => {
            let num = 0;
            let isn = false;
            let k = s;
            for (; k < e && format[k]! >= '0' && format[k]! <= '9'; k++) {
              if (tooLarge(num)) return [0, false, e];
              num = num * 10 + (format.charCodeAt(k) - 48);
              isn = true;
            }
            return [num, isn, k];
          })(i + 1, i + j);
          if (!isnum || newi !== i + j) {
            index = 0;
            wid = j + 1;
            ok = false;
          } else {
            index = width - 1;
            wid = j + 1;
            ok = true;
          }
          break;
        }
      }
      if (ok && index >= 0 && index < a.length) return [index, i + wid, true];
      goodArgNum = false;
      return [argN, i + wid, true];
    };
    const intFromArg = (argN: number): [number, boolean, number] => {
      let num = 0;
      let isInt = false;
      let newArgNum = argN;
      if (argN < a.length) {
        const arg = a[argN];
        if (arg && (isIntKind(arg.t.kind) || isUintKind(arg.t.kind))) {
          const v = arg.v as bigint;
          if (v >= -(2n ** 63n) && v < 2n ** 63n) {
            num = Number(v);
            isInt = true;
          }
        }
        newArgNum = argN + 1;
        if (tooLarge(num)) {
          num = 0;
          isInt = false;
        }
      }
      return [num, isInt, newArgNum];
    };
    for (let i = 0; i < end; ) {
      goodArgNum = true;
      const lasti = i;
      while (i < end && format[i] !== '%') i++;
      if (i > lasti) this.buf += format.slice(lasti, i);
      if (i >= end) break;
      i++;
      this.f = noFlags();
      const f = this.f;
      flags: for (; i < end; i++) {
        switch (format[i]) {
          case '#':
            f.sharp = true;
            break;
          case '0':
            f.zero = true;
            break;
          case '+':
            f.plus = true;
            break;
          case '-':
            f.minus = true;
            break;
          case ' ':
            f.space = true;
            break;
          default:
            break flags;
        }
      }
      [argNum, i, afterIndex] = argNumber(argNum, i);
      if (i < end && format[i] === '*') {
        i++;
        [f.wid, f.widPresent, argNum] = intFromArg(argNum);
        if (!f.widPresent) this.buf += '%!(BADWIDTH)';
        if (f.wid < 0) {
          f.wid = -f.wid;
          f.minus = true;
          f.zero = false;
        }
        afterIndex = false;
      } else {
        [f.wid, f.widPresent, i] = parsenum(i);
        if (afterIndex && f.widPresent) goodArgNum = false;
      }
      if (i + 1 < end && format[i] === '.') {
        i++;
        if (afterIndex) goodArgNum = false;
        [argNum, i, afterIndex] = argNumber(argNum, i);
        if (i < end && format[i] === '*') {
          i++;
          [f.prec, f.precPresent, argNum] = intFromArg(argNum);
          if (f.prec < 0) {
            f.prec = 0;
            f.precPresent = false;
          }
          if (!f.precPresent) this.buf += '%!(BADPREC)';
          afterIndex = false;
        } else {
          [f.prec, f.precPresent, i] = parsenum(i);
          if (!f.precPresent) {
            f.prec = 0;
            f.precPresent = true;
          }
        }
      }
      if (!afterIndex) [argNum, i, afterIndex] = argNumber(argNum, i);
      if (i >= end) {
        this.buf += '%!(NOVERB)';
        break;
      }
      const verb = String.fromCodePoint(format.codePointAt(i)!);
      i += verb.length;
      if (verb === '%') {
        this.buf += '%';
        continue;
      }
      if (!goodArgNum) {
        this.buf += '%!' + verb + '(BADINDEX)';
        continue;
      }
      if (argNum >= a.length) {
        this.buf += '%!' + verb + '(MISSING)';
        continue;
      }
      if (verb === 'v') {
        if (f.sharp) {
          f.sharp = false;
          f.sharpV = true;
        }
        if (f.plus) {
          f.plus = false;
          f.plusV = true;
        }
      }
      this.printArg(a[argNum++]!, verb);
    }
    if (!reordered && argNum < a.length) {
      this.f = noFlags();
      this.buf += '%!(EXTRA ';
      for (; argNum < a.length; argNum++) {
        const arg = a[argNum]!;
        if (arg !== null && arg.t.kind !== 'invalid') this.buf += arg.t.name + '=';
        this.printArg(arg, 'v');
        if (argNum + 1 < a.length) this.buf += ', ';
      }
      this.buf += ')';
    }
  }
}

/** Go's time.Time internals as fmt sees them (wall, ext, loc) when printing it as a struct. */
function timeFields(g: GoValue): (readonly [string, GoValue, boolean])[] {
  const t = parseGoTime(g.v as string);
  return [
    ['wall', { t: T.uint64, v: BigInt(t.nsec) }, false],
    ['ext', { t: T.int64, v: t.sec + 62135596800n }, false],
    ['loc', { t: { kind: 'ptr', name: '*time.Location', named: false, elem: T.any }, v: null }, false],
  ];
}

export function sprint(args: (GoValue | null)[]): string {
  const p = new Printer();
  p.doPrint(args);
  return p.buf;
}

export function sprintln(args: (GoValue | null)[]): string {
  const p = new Printer();
  p.doPrintln(args);
  return p.buf;
}

export function sprintf(format: string, args: (GoValue | null)[]): string {
  const p = new Printer();
  p.doPrintf(format, args);
  return p.buf;
}

// ------------------------------------------------------------------ encoding/json

function jsonString(s: string, escapeHTML: boolean): string {
  const b = stringBytes(s);
  let out = '"';
  for (let i = 0; i < b.length; ) {
    const [r, size] = decodeRune(b, i);
    i += size;
    if (r < 0) {
      out += '\\ufffd';
      continue;
    }
    if (r === 0x22) out += '\\"';
    else if (r === 0x5c) out += '\\\\';
    else if (r < 0x20) {
      const short: Record<number, string> = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' };
      out += short[r] ?? '\\u00' + hex(r, 2);
    } else if (escapeHTML && (r === 0x3c || r === 0x3e || r === 0x26)) out += '\\u00' + hex(r, 2);
    else if (r === 0x2028 || r === 0x2029) out += '\\u' + hex(r, 4);
    else out += String.fromCodePoint(r);
  }
  return out + '"';
}

function jsonFloat(v: number, bits: 32 | 64): string {
  if (!Number.isFinite(v)) throw new GoCallError(`json: unsupported value: ${formatFloat(v, 'g', -1, 64)}`);
  const abs = Math.abs(v);
  let fmt = 'f';
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) fmt = 'e';
  let s = formatFloat(v, fmt, -1, bits);
  if (fmt === 'e') s = s.replace(/e-0(\d)$/, 'e-$1');
  return s;
}

const isEmptyValue = (g: GoValue): boolean => {
  switch (g.t.kind) {
    case 'array':
    case 'map':
    case 'slice':
    case 'string':
      return sliceLen(g) === 0;
    case 'bool':
      return g.v === false;
    case 'float32':
    case 'float64':
      return g.v === 0;
    case 'ptr':
    case 'iface':
      return isNil(g);
    case 'struct':
      return false;
    default:
      return g.v === 0n;
  }
};

/** encoding/json's Marshal of a Go value (SetEscapeHTML as asked). */
export function marshalJSON(g: GoValue | null, escapeHTML: boolean): string {
  if (g === null || g.t.kind === 'invalid') return 'null';
  const t = g.t;
  if (t.kind === 'ptr') {
    if (isNil(g)) return 'null';
    if (t.elem!.marshalJSON) return t.elem!.marshalJSON(deref(g));
    return marshalJSON(deref(g), escapeHTML);
  }
  if (t.marshalJSON) return t.marshalJSON(g);
  switch (t.kind) {
    case 'bool':
      return g.v ? 'true' : 'false';
    case 'string':
      return jsonString(g.v as string, escapeHTML);
    case 'float32':
    case 'float64':
      return jsonFloat(g.v as number, t.kind === 'float32' ? 32 : 64);
    case 'complex128':
      throw new GoCallError(`json: unsupported type: ${t.name}`);
    case 'iface':
      return isNil(g) ? 'null' : marshalJSON(g.v as GoValue, escapeHTML);
    case 'map': {
      if (isNil(g)) return 'null';
      return '{' + mapKeys(g).map((k) => jsonString(k, escapeHTML) + ':' + marshalJSON(mapValue(g, k)!, escapeHTML)).join(',') + '}';
    }
    case 'slice':
    case 'array': {
      if (t.kind === 'slice' && isNil(g)) return 'null';
      if (t.kind === 'slice' && t.elem!.kind === 'uint8') {
        return '"' + base64Encode(Array.from({ length: sliceLen(g) }, (_, i) => Number(indexValue(g, i).v))) + '"';
      }
      const n = sliceLen(g);
      const parts: string[] = [];
      for (let i = 0; i < n; i++) parts.push(marshalJSON(indexValue(g, i), escapeHTML));
      return '[' + parts.join(',') + ']';
    }
    case 'struct': {
      const parts: string[] = [];
      const seen = new Set<string>();
      const walk = (s: GoValue) => {
        for (const fl of fieldsOf(s.t)) {
          if (fl.skip) continue;
          const fv = fieldValue(s, fl);
          if (fl.embedded && fl.json === '') {
            const inner = fv.t.kind === 'ptr' ? (isNil(fv) ? undefined : deref(fv)) : fv;
            if (inner && inner.t.kind === 'struct' && !inner.t.marshalJSON) walk(inner);
            else if (inner) parts.push(jsonString(fl.name, escapeHTML) + ':' + marshalJSON(fv, escapeHTML));
            continue;
          }
          if (!fl.exported) continue;
          const key = fl.json || fl.name;
          if (seen.has(key)) continue;
          if (fl.omitempty && isEmptyValue(fv)) continue;
          seen.add(key);
          parts.push(jsonString(key, escapeHTML) + ':' + marshalJSON(fv, escapeHTML));
        }
      };
      walk(g);
      return '{' + parts.join(',') + '}';
    }
    default:
      return String(g.v);
  }
}
