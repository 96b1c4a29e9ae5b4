// Go's type system as far as docker's `--format` templates can observe it: every value a
// template touches is a GoValue, a JSON-shaped JavaScript value together with the Go type the
// docker CLI decoded it into. The type decides what a missing field is (its zero value, never a
// JavaScript `undefined`), how fmt prints it, which functions accept it and what the errors say.
import { DOCKER_TYPES } from './go-types-docker.js';

export type Kind =
  | 'invalid'
  | 'bool'
  | 'string'
  | 'int'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'uintptr'
  | 'float32'
  | 'float64'
  | 'complex128'
  | 'struct'
  | 'ptr'
  | 'slice'
  | 'array'
  | 'map'
  | 'iface';

export interface GoField {
  name: string;
  type: GoType;
  /** Key in the JSON object ('' for an embedded struct whose fields are inlined). */
  json: string;
  omitempty: boolean;
  embedded: boolean;
  exported: boolean;
  /** json:"-": encoding/json leaves the field out. */
  skip: boolean;
}

/** A method callable from a template; throws GoCallError for an error result. */
export interface GoMethod {
  params: GoType[];
  variadic?: boolean;
  result: GoType;
  /** Second result of type error (reported as "error calling X: ..."). */
  returnsError?: boolean;
  call(recv: GoValue, args: GoValue[]): GoValue;
}

export interface GoType {
  kind: Kind;
  /** reflect.Type.String(): `string`, `swarm.NodeRole`, `*swarm.Node`, `map[string]string`. */
  name: string;
  /** A defined (named) type; values of two different named types are never assignable. */
  named: boolean;
  elem?: GoType;
  key?: GoType;
  len?: number;
  underlying?: GoType;
  methods?: Record<string, GoMethod>;
  /** Methods with pointer receivers: only reachable through a pointer (or an addressable value). */
  ptrMethods?: Record<string, GoMethod>;
  /** Struct fields, resolved on first use. */
  fieldsOf?: () => GoField[];
  /** Special representations: time.Time is an RFC3339 string, registry.NetIPNet a CIDR. */
  special?: 'time' | 'text';
  /** Has a MarshalJSON method: the json function prints this instead of the fields. */
  marshalJSON?: (v: GoValue) => string;
  /** GoString() for %#v. */
  goString?: (v: GoValue) => string;
}

export interface GoValue {
  t: GoType;
  v: unknown;
}

/** An error a Go function or method returned (or panicked with). */
export class GoCallError extends Error {}

// ------------------------------------------------------------------ basic types

const basic = (kind: Kind, name: string = kind): GoType => ({ kind, name, named: true });

export const T = {
  invalid: { kind: 'invalid', name: '<invalid>', named: false } as GoType,
  bool: basic('bool'),
  string: basic('string'),
  int: basic('int'),
  int8: basic('int8'),
  int16: basic('int16'),
  int32: basic('int32'),
  int64: basic('int64'),
  uint: basic('uint'),
  uint8: basic('uint8'),
  uint16: basic('uint16'),
  uint32: basic('uint32'),
  uint64: basic('uint64'),
  uintptr: basic('uintptr'),
  float32: basic('float32'),
  float64: basic('float64'),
  complex128: basic('complex128'),
  any: { kind: 'iface', name: 'interface {}', named: false } as GoType,
  error: { kind: 'iface', name: 'error', named: true } as GoType,
};

export const INVALID: GoValue = { t: T.invalid, v: undefined };

const INT_KINDS = new Set<Kind>(['int', 'int8', 'int16', 'int32', 'int64']);
const UINT_KINDS = new Set<Kind>(['uint', 'uint8', 'uint16', 'uint32', 'uint64', 'uintptr']);
export const isIntKind = (k: Kind): boolean => INT_KINDS.has(k);
export const isUintKind = (k: Kind): boolean => UINT_KINDS.has(k);
export const isFloatKind = (k: Kind): boolean => k === 'float32' || k === 'float64';
export const isNillable = (k: Kind): boolean => k === 'ptr' || k === 'slice' || k === 'map' || k === 'iface';

const BITS: Partial<Record<Kind, number>> = { int8: 8, int16: 16, int32: 32, int: 64, int64: 64, uint8: 8, uint16: 16, uint32: 32, uint: 64, uint64: 64, uintptr: 64 };

/** Wraps an integer to the width of its kind, as a Go conversion does. */
export function wrapInt(k: Kind, n: bigint): bigint {
  const bits = BITS[k] ?? 64;
  return isUintKind(k) ? BigInt.asUintN(bits, n) : BigInt.asIntN(bits, n);
}

// ------------------------------------------------------------------ composite types

const cache = new Map<string, GoType>();

export function ptrTo(elem: GoType): GoType {
  const name = '*' + elem.name;
  let t = cache.get(name);
  if (!t) {
    t = { kind: 'ptr', name, named: false, elem };
    cache.set(name, t);
  }
  return t;
}

export function sliceOf(elem: GoType): GoType {
  const name = '[]' + elem.name;
  let t = cache.get(name);
  if (!t) {
    t = { kind: 'slice', name, named: false, elem };
    cache.set(name, t);
  }
  return t;
}

export function mapOf(key: GoType, elem: GoType): GoType {
  const name = `map[${key.name}]${elem.name}`;
  let t = cache.get(name);
  if (!t) {
    t = { kind: 'map', name, named: false, key, elem };
    cache.set(name, t);
  }
  return t;
}

function arrayOf(len: number, elem: GoType): GoType {
  const name = `[${len}]${elem.name}`;
  let t = cache.get(name);
  if (!t) {
    t = { kind: 'array', name, named: false, elem, len };
    cache.set(name, t);
  }
  return t;
}

/** A defined struct type with lazily resolved fields. */
export function structType(name: string, fields: () => GoField[], named = true): GoType {
  let resolved: GoField[] | undefined;
  return { kind: 'struct', name, named, fieldsOf: () => (resolved ??= fields()) };
}

export const fieldsOf = (t: GoType): GoField[] => t.fieldsOf?.() ?? [];

export function field(name: string, type: GoType, opts: Partial<GoField> = {}): GoField {
  return { name, type, json: name, omitempty: false, embedded: false, exported: /^\p{Lu}/u.test(name), skip: false, ...opts };
}

// ------------------------------------------------------------------ values

export const goString = (s: string): GoValue => ({ t: T.string, v: s });
export const goBool = (b: boolean): GoValue => ({ t: T.bool, v: b });
export const goInt = (n: bigint | number, t: GoType = T.int): GoValue => ({ t, v: typeof n === 'bigint' ? n : BigInt(Math.trunc(n)) });
export const goFloat = (n: number, t: GoType = T.float64): GoValue => ({ t, v: t.kind === 'float32' ? Math.fround(n) : n });

/** Bytes of a JS string holding a Go string: code points as UTF-8, U+DC80..U+DCFF as raw bytes. */
export function stringBytes(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c >= 0xdc80 && c <= 0xdcff) out.push(c - 0xdc00);
    else if (c >= 0xd800 && c <= 0xdfff) out.push(0xef, 0xbf, 0xbd);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return out;
}

/** Decodes one UTF-8 sequence at i as Go does: [rune, size]; invalid → [-1, 1]. */
export function decodeRune(b: readonly number[], i: number): [number, number] {
  const c0 = b[i]!;
  if (c0 < 0x80) return [c0, 1];
  const cont = (j: number) => j < b.length && (b[j]! & 0xc0) === 0x80;
  if (c0 >= 0xc2 && c0 <= 0xdf && cont(i + 1)) return [((c0 & 31) << 6) | (b[i + 1]! & 63), 2];
  if (c0 >= 0xe0 && c0 <= 0xef && cont(i + 1) && cont(i + 2)) {
    const r = ((c0 & 15) << 12) | ((b[i + 1]! & 63) << 6) | (b[i + 2]! & 63);
    if (r >= 0x800 && (r < 0xd800 || r > 0xdfff)) return [r, 3];
  }
  if (c0 >= 0xf0 && c0 <= 0xf4 && cont(i + 1) && cont(i + 2) && cont(i + 3)) {
    const r = ((c0 & 7) << 18) | ((b[i + 1]! & 63) << 12) | ((b[i + 2]! & 63) << 6) | (b[i + 3]! & 63);
    if (r >= 0x10000 && r <= 0x10ffff) return [r, 4];
  }
  return [-1, 1];
}

/** The JS string for Go bytes: valid UTF-8 decoded, every invalid byte kept as U+DC00+byte. */
export function bytesString(b: readonly number[]): string {
  let out = '';
  for (let i = 0; i < b.length; ) {
    const [r, size] = decodeRune(b, i);
    out += r < 0 ? String.fromCharCode(0xdc00 + b[i]!) : String.fromCodePoint(r);
    i += size;
  }
  return out;
}

/** len(s) in bytes. */
export function byteLength(s: string): number {
  let n = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    n += c < 0x80 ? 1 : c >= 0xdc80 && c <= 0xdcff ? 1 : c >= 0xd800 && c <= 0xdfff ? 3 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
}

/** What a terminal receives for a Go string: raw invalid bytes show as U+FFFD. */
export const displayString = (s: string): string => s.replace(/[\udc80-\udcff]/g, '\ufffd');

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function base64Decode(s: string): number[] {
  const out: number[] = [];
  let bits = 0;
  let acc = 0;
  for (const ch of s) {
    const i = BASE64.indexOf(ch);
    if (i < 0) continue;
    acc = (acc << 6) | i;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >> bits) & 255);
    }
  }
  return out;
}

export function base64Encode(b: readonly number[]): string {
  let out = '';
  for (let i = 0; i < b.length; i += 3) {
    const n = (b[i]! << 16) | ((b[i + 1] ?? 0) << 8) | (b[i + 2] ?? 0);
    out += BASE64[(n >> 18) & 63]! + BASE64[(n >> 12) & 63]!;
    out += i + 1 < b.length ? BASE64[(n >> 6) & 63]! : '=';
    out += i + 2 < b.length ? BASE64[n & 63]! : '=';
  }
  return out;
}

const isObject = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x) && !isGoValue(x);
export const isGoValue = (x: unknown): x is GoValue =>
  x !== null && typeof x === 'object' && !Array.isArray(x) && 't' in x && 'v' in x && Object.keys(x).length === 2 && typeof (x as GoValue).t?.kind === 'string';

/**
 * The canonical representation of a raw (JSON-decoded) value for type t: what encoding/json
 * would have left in a Go value of that type, with absent values as zero values.
 */
export function norm(t: GoType, raw: unknown): unknown {
  switch (t.kind) {
    case 'bool':
      return raw === true;
    case 'string':
      return typeof raw === 'string' ? raw : typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : '';
    case 'float32':
    case 'float64': {
      const n = typeof raw === 'number' && Number.isFinite(raw) ? raw : typeof raw === 'bigint' ? Number(raw) : 0;
      return t.kind === 'float32' ? Math.fround(n) : n;
    }
    case 'complex128':
      return isObject(raw) && typeof raw.re === 'number' ? raw : { re: 0, im: 0 };
    case 'struct':
      if (t.special) return typeof raw === 'string' ? raw : '';
      return isObject(raw) ? raw : {};
    case 'ptr':
      return raw === null || raw === undefined ? null : norm(t.elem!, raw);
    case 'slice':
      if (t.elem!.kind === 'uint8' && typeof raw === 'string') return base64Decode(raw);
      return Array.isArray(raw) ? raw : null;
    case 'array': {
      const a = Array.isArray(raw) ? raw : [];
      return Array.from({ length: t.len! }, (_, i) => a[i]);
    }
    case 'map':
      return isObject(raw) ? raw : null;
    case 'iface':
      if (raw === null || raw === undefined) return null;
      return isGoValue(raw) ? raw : fromJSON(raw);
    case 'invalid':
      return undefined;
    default: {
      // Integers.
      let n: bigint;
      if (typeof raw === 'bigint') n = raw;
      else if (typeof raw === 'number' && Number.isFinite(raw)) n = BigInt(Math.trunc(raw));
      else if (typeof raw === 'boolean') n = 0n;
      else n = 0n;
      return wrapInt(t.kind, n);
    }
  }
}

export const val = (t: GoType, raw: unknown): GoValue => ({ t, v: norm(t, raw) });

/** A JSON value decoded into interface{}: map[string]interface {}, []interface {}, float64, string, bool. */
export function fromJSON(raw: unknown): GoValue | null {
  if (raw === null || raw === undefined) return null;
  if (isGoValue(raw)) return raw;
  if (typeof raw === 'string') return goString(raw);
  if (typeof raw === 'boolean') return goBool(raw);
  if (typeof raw === 'number') return goFloat(raw);
  if (typeof raw === 'bigint') return goInt(raw);
  if (Array.isArray(raw)) return { t: sliceOf(T.any), v: raw };
  if (typeof raw === 'object') return { t: mapOf(T.string, T.any), v: raw };
  return null;
}

/** Zero value of t. */
export const zero = (t: GoType): GoValue => ({ t, v: norm(t, undefined) });

export const isNil = (g: GoValue): boolean => isNillable(g.t.kind) && (g.v === null || g.v === undefined);

/** Element of a non-nil pointer. */
export const deref = (g: GoValue): GoValue => ({ t: g.t.elem!, v: norm(g.t.elem!, g.v) });

/** reflect's indirect: through pointers and interfaces; [value, isNil]. */
export function indirect(g: GoValue): [GoValue, boolean] {
  let v = g;
  while (v.t.kind === 'ptr' || v.t.kind === 'iface') {
    if (isNil(v)) return [v, true];
    v = v.t.kind === 'ptr' ? deref(v) : (v.v as GoValue);
  }
  return [v, false];
}

/** indirectInterface: the dynamic value of an interface (INVALID for nil). */
export function indirectInterface(g: GoValue): GoValue {
  if (g.t.kind !== 'iface') return g;
  return g.v === null || g.v === undefined ? INVALID : (g.v as GoValue);
}

export function sliceLen(g: GoValue): number {
  if (g.t.kind === 'string') return byteLength(g.v as string);
  if (g.t.kind === 'map') return g.v ? Object.keys(g.v as object).length : 0;
  return Array.isArray(g.v) ? g.v.length : 0;
}

export const indexValue = (g: GoValue, i: number): GoValue => val(g.t.elem!, (g.v as unknown[])[i]);

/** Sorted keys of a map as fmtsort orders them (our maps have string keys). */
export const mapKeys = (g: GoValue): string[] => (g.v ? Object.keys(g.v as object).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) : []);

export const mapValue = (g: GoValue, key: string): GoValue | undefined => {
  const m = g.v as Record<string, unknown> | null;
  if (!m || !Object.prototype.hasOwnProperty.call(m, key)) return undefined;
  return val(g.t.elem!, m[key]);
};

// ------------------------------------------------------------------ struct fields

export interface FieldLookup {
  /** The chain of fields from the struct to the one found (embedded hops first). */
  path: GoField[];
}

/** reflect's FieldByName: breadth-first through embedded structs; ambiguity means not found. */
export function findField(t: GoType, name: string): FieldLookup | undefined {
  let level: { type: GoType; path: GoField[] }[] = [{ type: t, path: [] }];
  const visited = new Set<GoType>();
  while (level.length > 0) {
    const found: FieldLookup[] = [];
    const next: { type: GoType; path: GoField[] }[] = [];
    for (const { type, path } of level) {
      if (visited.has(type)) continue;
      visited.add(type);
      for (const f of fieldsOf(type)) {
        if (f.name === name) found.push({ path: [...path, f] });
        if (f.embedded) {
          const inner = f.type.kind === 'ptr' ? f.type.elem! : f.type;
          if (inner.kind === 'struct') next.push({ type: inner, path: [...path, f] });
        }
      }
    }
    if (found.length === 1) return found[0];
    if (found.length > 1) return undefined;
    level = next;
  }
  return undefined;
}

/** The raw JSON value of one field of a struct's raw object. */
function fieldRaw(raw: Record<string, unknown>, f: GoField): unknown {
  if (f.embedded && f.json === '') return raw;
  return raw[f.json === '' || f.json === '-' ? f.name : f.json];
}

/** Reads field f of struct value s. */
export const fieldValue = (s: GoValue, f: GoField): GoValue => val(f.type, fieldRaw(s.v as Record<string, unknown>, f));

/** Follows a lookup path; throws GoCallError for a nil embedded pointer. */
export function fieldByPath(s: GoValue, path: GoField[]): GoValue {
  let cur = s;
  for (let i = 0; i < path.length; i++) {
    const f = path[i]!;
    if (i > 0 && cur.t.kind === 'ptr') {
      if (isNil(cur)) throw new GoCallError(`reflect: indirection through nil pointer to embedded struct field ${path[i - 1]!.name}`);
      cur = deref(cur);
    }
    cur = fieldValue(cur, f);
  }
  return cur;
}

/** Method named `name` declared on t itself (pointer types see their element's methods too). */
function ownMethod(t: GoType, name: string, addressable: boolean): GoMethod | undefined {
  if (t.kind === 'ptr') return t.elem!.methods?.[name] ?? t.elem!.ptrMethods?.[name];
  return t.methods?.[name] ?? (addressable ? t.ptrMethods?.[name] : undefined);
}

/**
 * Method `name` in the method set of a value of type t, including methods promoted from
 * embedded fields; `path` leads from the value to the receiver.
 */
export function findMethod(t: GoType, name: string, addressable: boolean): { m: GoMethod; path: GoField[] } | undefined {
  const own = ownMethod(t, name, addressable);
  if (own) return { m: own, path: [] };
  const st = t.kind === 'ptr' ? t.elem! : t;
  if (st.kind !== 'struct') return undefined;
  const viaPtr = t.kind === 'ptr' || addressable;
  let level: { type: GoType; path: GoField[]; addr: boolean }[] = [{ type: st, path: [], addr: viaPtr }];
  const visited = new Set<GoType>([st]);
  while (level.length > 0) {
    const next: typeof level = [];
    for (const { type, path, addr } of level) {
      for (const f of fieldsOf(type)) {
        if (!f.embedded) continue;
        const m = ownMethod(f.type, name, addr);
        if (m) return { m, path: [...path, f] };
        const inner = f.type.kind === 'ptr' ? f.type.elem! : f.type;
        if (inner.kind === 'struct' && !visited.has(inner)) {
          visited.add(inner);
          next.push({ type: inner, path: [...path, f], addr: addr || f.type.kind === 'ptr' });
        }
      }
    }
    level = next;
  }
  return undefined;
}

// ------------------------------------------------------------------ time

const DAY = 86400n;
/** Seconds from 0001-01-01 to 1970-01-01. */
const UNIX_TO_ZERO = 62135596800n;

export interface GoTime {
  /** Seconds since the Unix epoch (UTC). */
  sec: bigint;
  nsec: number;
}

/** Parses an RFC3339 timestamp as encoding/json does (empty: the zero time). */
export function parseGoTime(s: string): GoTime {
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?(Z|([+-])(\d\d):(\d\d))$/.exec(s);
  if (!m) return { sec: -UNIX_TO_ZERO, nsec: 0 };
  const days = daysFromCivil(Number(m[1]), Number(m[2]), Number(m[3]));
  let sec = BigInt(days) * DAY + BigInt(Number(m[4]) * 3600 + Number(m[5]) * 60 + Number(m[6]));
  if (m[8] !== 'Z') sec -= BigInt((m[9] === '-' ? -1 : 1) * (Number(m[10]) * 3600 + Number(m[11]) * 60));
  return { sec, nsec: Number((m[7] ?? '').padEnd(9, '0')) };
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(z: number): [number, number, number] {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

export interface Civil {
  year: number;
  month: number;
  day: number;
  hour: number;
  min: number;
  sec: number;
  nsec: number;
  weekday: number;
  yday: number;
}

export function civil(t: GoTime): Civil {
  const days = Number(t.sec >= 0n ? t.sec / DAY : -((-t.sec + DAY - 1n) / DAY));
  const rest = Number(t.sec - BigInt(days) * DAY);
  const [year, month, day] = civilFromDays(days);
  return {
    year,
    month,
    day,
    hour: Math.floor(rest / 3600),
    min: Math.floor(rest / 60) % 60,
    sec: rest % 60,
    nsec: t.nsec,
    weekday: (((days + 4) % 7) + 7) % 7,
    yday: days - daysFromCivil(year, 1, 1) + 1,
  };
}

export const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
export const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const pad = (n: number, w: number, c = '0') => String(n).padStart(w, c);

/** time.Time.Format with Go's reference-time layouts (UTC times). */
export function formatTime(t: GoTime, layout: string): string {
  const c = civil(t);
  let out = '';
  let i = 0;
  const starts = (s: string) => layout.startsWith(s, i);
  while (i < layout.length) {
    const rest = layout.slice(i);
    let m: RegExpExecArray | null;
    if (starts('January')) (out += MONTHS[c.month - 1]), (i += 7);
    else if (starts('Jan')) (out += MONTHS[c.month - 1]!.slice(0, 3)), (i += 3);
    else if (starts('Monday')) (out += WEEKDAYS[c.weekday]), (i += 6);
    else if (starts('Mon')) (out += WEEKDAYS[c.weekday]!.slice(0, 3)), (i += 3);
    else if (starts('MST')) (out += 'UTC'), (i += 3);
    else if (starts('2006')) (out += c.year < 0 ? '-' + pad(-c.year, 4) : pad(c.year, 4)), (i += 4);
    else if (starts('002')) (out += pad(c.yday, 3)), (i += 3);
    else if (starts('__2')) (out += pad(c.yday, 3, ' ')), (i += 3);
    else if (starts('01')) (out += pad(c.month, 2)), (i += 2);
    else if (starts('02')) (out += pad(c.day, 2)), (i += 2);
    else if (starts('03')) (out += pad(c.hour % 12 === 0 ? 12 : c.hour % 12, 2)), (i += 2);
    else if (starts('04')) (out += pad(c.min, 2)), (i += 2);
    else if (starts('05')) (out += pad(c.sec, 2)), (i += 2);
    else if (starts('06')) (out += pad(((c.year % 100) + 100) % 100, 2)), (i += 2);
    else if (starts('_2')) (out += pad(c.day, 2, ' ')), (i += 2);
    else if (starts('15')) (out += pad(c.hour, 2)), (i += 2);
    else if (starts('PM')) (out += c.hour >= 12 ? 'PM' : 'AM'), (i += 2);
    else if (starts('pm')) (out += c.hour >= 12 ? 'pm' : 'am'), (i += 2);
    else if ((m = /^(Z07:00:00|Z070000|Z07:00|Z0700|Z07|-07:00:00|-070000|-07:00|-0700|-07)/.exec(rest))) {
      const z = m[1]!;
      out += z.startsWith('Z') ? 'Z' : z.replace('-07', '+00');
      i += z.length;
    } else if ((m = /^[.,](0+|9+)(?![0-9])/.exec(rest))) {
      const digits = String(c.nsec).padStart(9, '0').slice(0, m[1]!.length);
      if (m[1]![0] === '0') out += rest[0] + digits;
      else {
        const trimmed = digits.replace(/0+$/, '');
        if (trimmed) out += rest[0] + trimmed;
      }
      i += m[0].length;
    } else if (starts('1')) (out += String(c.month)), (i += 1);
    else if (starts('2')) (out += String(c.day)), (i += 1);
    else if (starts('3')) (out += String(c.hour % 12 === 0 ? 12 : c.hour % 12)), (i += 1);
    else if (starts('4')) (out += String(c.min)), (i += 1);
    else if (starts('5')) (out += String(c.sec)), (i += 1);
    else (out += layout[i]), (i += 1);
  }
  return out;
}

/** time.Time.String(). */
export const timeString = (t: GoTime): string => formatTime(t, '2006-01-02 15:04:05.999999999 -0700 MST');

/** time.Time.MarshalJSON's text (RFC3339Nano). */
export const timeRFC3339 = (t: GoTime): string => formatTime(t, '2006-01-02T15:04:05.999999999Z07:00');

/** time.Duration.String(). */
export function durationString(d: bigint): string {
  if (d === 0n) return '0s';
  const neg = d < 0n;
  let u = neg ? -d : d;
  let out: string;
  if (u < 1_000_000_000n) {
    // Sub-second: ns, µs or ms with a fraction.
    const [unit, div] = u < 1000n ? ['ns', 1n] : u < 1_000_000n ? ['µs', 1000n] : ['ms', 1_000_000n];
    out = fraction(u, div) + unit;
  } else {
    const h = u / 3_600_000_000_000n;
    u -= h * 3_600_000_000_000n;
    const m = u / 60_000_000_000n;
    u -= m * 60_000_000_000n;
    out = fraction(u, 1_000_000_000n) + 's';
    if (h > 0n) out = `${h}h${m}m${out}`;
    else if (m > 0n) out = `${m}m${out}`;
  }
  return neg ? '-' + out : out;
}

function fraction(n: bigint, div: bigint): string {
  const whole = n / div;
  const frac = n % div;
  if (frac === 0n) return String(whole);
  const digits = String(div).length - 1;
  return `${whole}.${String(frac).padStart(digits, '0').replace(/0+$/, '')}`;
}

function fileModeString(m: bigint): string {
  const flags = 'dalTLDpSugct?';
  let out = '';
  for (let i = 0; i < flags.length; i++) if (m & (1n << BigInt(31 - i))) out += flags[i];
  if (out === '') out = '-';
  const rwx = 'rwxrwxrwx';
  for (let i = 0; i < 9; i++) out += m & (1n << BigInt(8 - i)) ? rwx[i] : '-';
  return out;
}

const method = (result: GoType, call: (recv: GoValue, args: GoValue[]) => GoValue, params: GoType[] = []): GoMethod => ({ params, result, call });

const timeOf = (g: GoValue): GoTime => parseGoTime(g.v as string);
const MONTH_T: GoType = { ...basic('int', 'time.Month'), methods: {} };
MONTH_T.methods!.String = method(T.string, (g) => goString(MONTHS[Number(g.v) - 1] ?? `%!Month(${g.v})`));
const WEEKDAY_T: GoType = { ...basic('int', 'time.Weekday'), methods: {} };
WEEKDAY_T.methods!.String = method(T.string, (g) => goString(WEEKDAYS[Number(g.v)] ?? `%!Weekday(${g.v})`));

export const TIME_T: GoType = structType('time.Time', () => [
  field('wall', T.uint64),
  field('ext', T.int64),
  field('loc', ptrTo(structType('time.Location', () => []))),
]);
TIME_T.special = 'time';
{
  const civ = (f: (c: Civil) => number) => (g: GoValue) => goInt(f(civil(timeOf(g))));
  const asTime = (t: GoTime): GoValue => ({ t: TIME_T, v: timeRFC3339(t) });
  TIME_T.methods = {
    String: method(T.string, (g) => goString(timeString(timeOf(g)))),
    Format: method(T.string, (g, [layout]) => goString(formatTime(timeOf(g), layout!.v as string)), [T.string]),
    Unix: method(T.int64, (g) => goInt(timeOf(g).sec, T.int64)),
    UnixMilli: method(T.int64, (g) => goInt(timeOf(g).sec * 1000n + BigInt(Math.floor(timeOf(g).nsec / 1e6)), T.int64)),
    UnixMicro: method(T.int64, (g) => goInt(timeOf(g).sec * 1_000_000n + BigInt(Math.floor(timeOf(g).nsec / 1e3)), T.int64)),
    UnixNano: method(T.int64, (g) => goInt(wrapInt('int64', timeOf(g).sec * 1_000_000_000n + BigInt(timeOf(g).nsec)), T.int64)),
    Year: method(T.int, civ((c) => c.year)),
    Month: method(MONTH_T, (g) => goInt(civil(timeOf(g)).month, MONTH_T)),
    Day: method(T.int, civ((c) => c.day)),
    Hour: method(T.int, civ((c) => c.hour)),
    Minute: method(T.int, civ((c) => c.min)),
    Second: method(T.int, civ((c) => c.sec)),
    Nanosecond: method(T.int, civ((c) => c.nsec)),
    YearDay: method(T.int, civ((c) => c.yday)),
    Weekday: method(WEEKDAY_T, (g) => goInt(civil(timeOf(g)).weekday, WEEKDAY_T)),
    IsZero: method(T.bool, (g) => goBool(timeOf(g).sec === -UNIX_TO_ZERO && timeOf(g).nsec === 0)),
    UTC: method(TIME_T, (g) => asTime(timeOf(g))),
    Local: method(TIME_T, (g) => asTime(timeOf(g))),
  };
  TIME_T.marshalJSON = (g) => JSON.stringify(timeRFC3339(timeOf(g)));
  TIME_T.goString = (g) => {
    const c = civil(timeOf(g));
    return `time.Date(${c.year}, time.${MONTHS[c.month - 1]}, ${c.day}, ${c.hour}, ${c.min}, ${c.sec}, ${c.nsec}, time.UTC)`;
  };
}

export const DURATION_T: GoType = { ...basic('int64', 'time.Duration') };
{
  const ns = (g: GoValue) => g.v as bigint;
  const f = (div: number) => (g: GoValue) => goFloat(Number(ns(g)) / div);
  DURATION_T.methods = {
    String: method(T.string, (g) => goString(durationString(ns(g)))),
    Hours: method(T.float64, f(3.6e12)),
    Minutes: method(T.float64, f(6e10)),
    Seconds: method(T.float64, f(1e9)),
    Milliseconds: method(T.int64, (g) => goInt(ns(g) / 1_000_000n, T.int64)),
    Microseconds: method(T.int64, (g) => goInt(ns(g) / 1000n, T.int64)),
    Nanoseconds: method(T.int64, (g) => goInt(ns(g), T.int64)),
  };
}

const FILEMODE_T: GoType = { ...basic('uint32', 'fs.FileMode') };
FILEMODE_T.methods = { String: method(T.string, (g) => goString(fileModeString(g.v as bigint))) };

/** registry.NetIPNet: a CIDR string in JSON, printed by its (pointer) String method. */
const NETIPNET_T: GoType = structType('registry.NetIPNet', () => [field('IP', sliceOf(T.uint8)), field('Mask', sliceOf(T.uint8))]);
NETIPNET_T.special = 'text';
NETIPNET_T.ptrMethods = { String: method(T.string, (g) => goString(typeof g.v === 'string' ? g.v : '<nil>')) };
NETIPNET_T.marshalJSON = (g) => JSON.stringify(typeof g.v === 'string' ? g.v : '<nil>');

// ------------------------------------------------------------------ the Docker table

const SPECIAL: Record<string, GoType> = {
  'time.Time': TIME_T,
  'time.Duration': DURATION_T,
  'os.FileMode': FILEMODE_T,
  'registry.NetIPNet': NETIPNET_T,
  'interface {}': T.any,
  any: T.any,
  error: T.error,
};

const named = new Map<string, GoType>();

/** The Go type of a type expression of the table (`*swarm.Node`, `map[string]string`, …). */
export function typeOf(expr: string): GoType {
  expr = expr.trim();
  if (expr.startsWith('*')) return ptrTo(typeOf(expr.slice(1)));
  if (expr.startsWith('[]')) return sliceOf(typeOf(expr.slice(2)));
  const arr = /^\[(\d+)\](.+)$/.exec(expr);
  if (arr) return arrayOf(Number(arr[1]), typeOf(arr[2]!));
  if (expr.startsWith('map[')) {
    let depth = 0;
    let i = 3;
    for (; i < expr.length; i++) {
      if (expr[i] === '[') depth++;
      if (expr[i] === ']' && --depth === 0) break;
    }
    return mapOf(typeOf(expr.slice(4, i)), typeOf(expr.slice(i + 1)));
  }
  const special = SPECIAL[expr];
  if (special) return special;
  const b = (T as Record<string, GoType>)[expr];
  if (b && expr !== 'invalid') return b;
  return namedType(expr);
}

function namedType(name: string): GoType {
  const known = named.get(name);
  if (known) return known;
  const def = DOCKER_TYPES[name];
  if (def === undefined) {
    // Unknown to the table: an empty struct keeps execution safe.
    const t = structType(name, () => []);
    named.set(name, t);
    return t;
  }
  if (def.startsWith('=')) {
    const t = typeOf(def.slice(1));
    named.set(name, t);
    return t;
  }
  if (!/[:;]/.test(def) && def !== '') {
    // A defined non-struct type: `swarm.NodeRole = string`.
    const u = typeOf(def);
    const t: GoType = { ...u, name, named: true, underlying: u, methods: undefined, ptrMethods: undefined };
    named.set(name, t);
    return t;
  }
  const anonymous = name.split('.').length > 2;
  const parse = (): GoField[] =>
    def === ''
      ? []
      : def.split(';').map((spec) => {
          const [fname = '', ftype = '', json = '', flags = ''] = spec.split(':');
          const embedded = flags.includes('e');
          return field(fname, typeOf(ftype), {
            json: json === '-' ? '-' : embedded && json === '' ? '' : json || fname,
            omitempty: flags.includes('o'),
            embedded,
            skip: json === '-',
          });
        });
  const t = structType(name, parse, !anonymous);
  if (anonymous) t.name = `struct { ${parse().map((f) => `${f.name} ${f.type.name}`).join('; ')} }`;
  named.set(name, t);
  if (name === 'swarm.Version') t.methods = { String: method(T.string, (g) => goString(String(norm(T.uint64, (g.v as Record<string, unknown>).Index)))) };
  return t;
}

// ------------------------------------------------------------------ docker/cli's formatter contexts

/** formatter.SubHeaderContext: the header row's map, with its Label method. */
export const SUB_HEADER_T: GoType = { ...mapOf(T.string, T.string), name: 'formatter.SubHeaderContext', named: true };
SUB_HEADER_T.underlying = mapOf(T.string, T.string);
SUB_HEADER_T.methods = {
  Label: method(
    T.string,
    (_g, [name]) => {
      const parts = (name!.v as string).split('.');
      return goString(parts[parts.length - 1]!.replace(/[-_]/g, ' '));
    },
    [T.string],
  ),
};

const HEADER_CONTEXT_T: GoType = structType('formatter.HeaderContext', () => [field('Header', SUB_HEADER_T)]);
HEADER_CONTEXT_T.ptrMethods = { FullHeader: method(T.any, (g) => ({ t: T.any, v: { t: SUB_HEADER_T, v: norm(SUB_HEADER_T, (g.v as Record<string, unknown>).Header) } })) };

/**
 * A formatter context of an ls/ps command (`*node.nodeContext`…): its row object holds the
 * results of the context's methods; MarshalJSON is the row's JSON.
 */
function contextType(name: string, methods: Record<string, GoType>, marshal: (g: GoValue) => string): GoType {
  const t = structType(name, () => [field('HeaderContext', HEADER_CONTEXT_T, { embedded: true, json: '' })]);
  t.ptrMethods = {};
  for (const [m, result] of Object.entries(methods)) {
    t.ptrMethods[m] = method(result, (g) => val(result, (g.v as Record<string, unknown>)[m]));
  }
  t.ptrMethods.MarshalJSON = { params: [], result: sliceOf(T.uint8), returnsError: true, call: (g) => ({ t: sliceOf(T.uint8), v: stringBytes(marshal(g)) }) };
  t.marshalJSON = marshal;
  return { kind: 'ptr', name: '*' + name, named: false, elem: t };
}

const PLATFORM_T: GoType = structType('formatter.Platform', () => [
  field('Platform', structType('v1.Platform', () => [field('Architecture', T.string, { json: 'architecture' }), field('OS', T.string, { json: 'os' }), field('OSVersion', T.string, { json: 'os.version', omitempty: true }), field('OSFeatures', sliceOf(T.string), { json: 'os.features', omitempty: true }), field('Variant', T.string, { json: 'variant', omitempty: true })]), { embedded: true, json: '' }),
]);

const S = T.string;

/** Root types by the names the commands pass (Go's names in template errors). */
export function rootType(name: string, marshalContext: (g: GoValue) => string): GoType | undefined {
  switch (name) {
    case '*node.nodeContext':
      return contextType('node.nodeContext', { ID: S, Self: T.bool, Hostname: S, Status: S, Availability: S, ManagerStatus: S, TLSStatus: S, EngineVersion: S }, marshalContext);
    case '*service.serviceContext':
      return contextType('service.serviceContext', { ID: S, Name: S, Mode: S, Replicas: S, Image: S, Ports: S }, marshalContext);
    case '*task.taskContext':
      return contextType('task.taskContext', { ID: S, Name: S, Image: S, Node: S, DesiredState: S, CurrentState: S, Error: S, Ports: S }, marshalContext);
    case '*formatter.ContainerContext': {
      const t = contextType(
        'formatter.ContainerContext',
        { ID: S, Names: S, Image: S, Command: S, CreatedAt: S, RunningFor: S, Platform: ptrTo(PLATFORM_T), Ports: S, State: S, Status: S, Size: S, Labels: S, Mounts: S, LocalVolumes: S, Networks: S },
        marshalContext,
      );
      t.elem!.ptrMethods!.Label = method(
        S,
        (g, [name]) => {
          const labels = String((g.v as Record<string, unknown>).Labels ?? '');
          for (const pair of labels.split(',')) {
            const eq = pair.indexOf('=');
            if (eq >= 0 && pair.slice(0, eq) === name!.v) return goString(pair.slice(eq + 1));
          }
          return goString('');
        },
        [S],
      );
      return t;
    }
    case '*network.networkContext': {
      const t = contextType('network.networkContext', { ID: S, Name: S, Driver: S, Scope: S, IPv4: S, IPv6: S, Internal: S, Labels: S, CreatedAt: S }, marshalContext);
      // Label reads one label from the joined Labels cell (a label value with a comma is cut there, unlike Go's map lookup).
      t.elem!.ptrMethods!.Label = method(
        S,
        (g, [name]) => {
          const labels = String((g.v as Record<string, unknown>).Labels ?? '');
          for (const pair of labels.split(',')) {
            const eq = pair.indexOf('=');
            if (eq >= 0 && pair.slice(0, eq) === name!.v) return goString(pair.slice(eq + 1));
          }
          return goString('');
        },
        [S],
      );
      return t;
    }
    case 'network.Inspect':
    case 'swarm.Node':
    case 'swarm.Service':
    case 'swarm.Task':
    case 'system.versionInfo':
      return typeOf(name);
    case 'system.Info':
      // docker info executes its template on the CLI's dockerInfo, which embeds *system.Info.
      return typeOf('system.dockerInfo');
    default:
      return undefined;
  }
}
