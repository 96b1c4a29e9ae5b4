// Go's strconv and time.ParseDuration, reproduced for their exact error texts: pflag prints
// them verbatim inside `invalid argument "…" for "--flag" flag: <error>`.

/** Go's strconv.Quote for the ASCII-printable cases we meet; escapes quotes, backslashes, controls. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f) out += '\\x' + code.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + '"';
}

/** Go's %q of a single rune, as pflag uses for shorthand letters: 'z'. */
export function goQuoteRune(ch: string): string {
  if (ch === "'" || ch === '\\') return `'\\${ch}'`;
  return `'${ch}'`;
}

export class GoParseError extends Error {}

const syntaxError = (fn: string, s: string) =>
  new GoParseError(`strconv.${fn}: parsing ${goQuote(s)}: invalid syntax`);
const rangeError = (fn: string, s: string) =>
  new GoParseError(`strconv.${fn}: parsing ${goQuote(s)}: value out of range`);

/** Digits of an unsigned literal with Go's base-0 prefixes (0x, 0o, 0b, leading 0) and `_` separators. */
function parseUnsignedBase0(s: string): bigint | undefined {
  let base = 10;
  let body = s;
  let prefixed = false;
  if (/^0[xX]/.test(s)) [base, body, prefixed] = [16, s.slice(2), true];
  else if (/^0[oO]/.test(s)) [base, body, prefixed] = [8, s.slice(2), true];
  else if (/^0[bB]/.test(s)) [base, body, prefixed] = [2, s.slice(2), true];
  else if (s.length > 1 && s[0] === '0') [base, body, prefixed] = [8, s.slice(1), true];
  if (body.includes('_')) {
    // Go: underscores only between digits or right after a base prefix.
    const bad = body.startsWith('_') ? !prefixed : false;
    if (bad || body.endsWith('_') || body.includes('__')) return undefined;
    body = body.replaceAll('_', '');
  }
  if (body === '') return undefined;
  let v = 0n;
  for (const ch of body.toLowerCase()) {
    const d = parseInt(ch, 36);
    if (Number.isNaN(d) || d >= base) return undefined;
    v = v * BigInt(base) + BigInt(d);
  }
  return v;
}

/** strconv.ParseUint(s, 0, bits). */
export function parseUint(s: string, bits: 32 | 64 = 64): number {
  if (s === '' || s[0] === '+' || s[0] === '-') throw syntaxError('ParseUint', s);
  const v = parseUnsignedBase0(s);
  if (v === undefined) throw syntaxError('ParseUint', s);
  if (v >= 1n << BigInt(bits)) throw rangeError('ParseUint', s);
  return Number(v);
}

/** strconv.ParseInt(s, 0, bits). */
export function parseInt64(s: string, bits: 32 | 64 = 64): number {
  let body = s;
  let neg = false;
  if (body[0] === '+' || body[0] === '-') {
    neg = body[0] === '-';
    body = body.slice(1);
  }
  const v = body === '' ? undefined : parseUnsignedBase0(body);
  if (v === undefined) throw syntaxError('ParseInt', s);
  const limit = 1n << BigInt(bits - 1);
  if (neg ? v > limit : v >= limit) throw rangeError('ParseInt', s);
  return Number(neg ? -v : v);
}

/** strconv.ParseFloat(s, 64) for decimal, exponent, inf and nan forms. */
export function parseFloat64(s: string): number {
  const lower = s.toLowerCase();
  const special = /^([+-]?)(inf|infinity|nan)$/.exec(lower);
  if (special) {
    if (special[2] === 'nan') return NaN;
    return special[1] === '-' ? -Infinity : Infinity;
  }
  if (!/^[+-]?(\d(_?\d)*(\.(\d(_?\d)*)?)?|\.\d(_?\d)*)([eE][+-]?\d+)?$/.test(s)) {
    throw syntaxError('ParseFloat', s);
  }
  const v = Number(s.replaceAll('_', ''));
  if (!Number.isFinite(v)) throw rangeError('ParseFloat', s);
  return v;
}

/** strconv.ParseBool. */
export function parseBool(s: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  throw syntaxError('ParseBool', s);
}

const UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  'µs': 1_000n, // U+00B5 micro sign
  'μs': 1_000n, // U+03BC Greek mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};
const MAX_DURATION = (1n << 63n) - 1n;

/** time.ParseDuration: returns nanoseconds. */
export function parseGoDuration(orig: string): number {
  const invalid = () => new GoParseError(`time: invalid duration ${goQuote(orig)}`);
  let s = orig;
  let neg = false;
  if (s[0] === '-' || s[0] === '+') {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') throw invalid();
  let total = 0n;
  while (s !== '') {
    if (!/^[0-9.]/.test(s)) throw invalid();
    const intPart = /^[0-9]*/.exec(s)?.[0] ?? '';
    s = s.slice(intPart.length);
    let frac = '';
    let hasFrac = false;
    if (s[0] === '.') {
      s = s.slice(1);
      frac = /^[0-9]*/.exec(s)?.[0] ?? '';
      s = s.slice(frac.length);
      hasFrac = frac.length > 0;
    }
    if (intPart === '' && !hasFrac) throw invalid();
    const unitText = /^[^0-9.]*/.exec(s)?.[0] ?? '';
    if (unitText === '') throw new GoParseError(`time: missing unit in duration ${goQuote(orig)}`);
    s = s.slice(unitText.length);
    const unit = UNITS[unitText];
    if (unit === undefined) {
      throw new GoParseError(`time: unknown unit ${goQuote(unitText)} in duration ${goQuote(orig)}`);
    }
    const v = intPart === '' ? 0n : BigInt(intPart);
    if (v > (1n << 63n) / unit) throw invalid();
    let part = v * unit;
    if (hasFrac) {
      // Go accumulates the fraction as a float scaled to the unit, truncating.
      const f = Number('0.' + frac);
      part += BigInt(Math.floor(f * Number(unit)));
    }
    total += part;
    if (total > 1n << 63n) throw invalid();
  }
  if (neg) return -Number(total);
  if (total > MAX_DURATION) throw invalid();
  return Number(total);
}
