import { describe, expect, it } from 'vitest';
import type { FlagDef } from '../engine/cli/command.js';
import { FlagError, parseFlags } from '../engine/cli/flags.js';
import { parseGoDuration, parseUint, parseInt64, parseFloat64 } from '../engine/cli/format/go-parse.js';
import { goDuration } from '../engine/cli/format/go-duration.js';

const defs: FlagDef[] = [
  { name: 'replicas', kind: 'uint', usage: '' },
  { name: 'update-delay', kind: 'duration', usage: '' },
  { name: 'detach', short: 'd', kind: 'bool', usage: '' },
  { name: 'quiet', short: 'q', kind: 'bool', usage: '' },
  { name: 'name', short: 'n', kind: 'string', usage: '' },
  { name: 'env', short: 'e', kind: 'list', usage: '' },
  { name: 'filter', short: 'f', kind: 'filter', usage: '' },
  { name: 'last', short: 'l', kind: 'int', usage: '' },
  { name: 'port', kind: 'uint', bits: 32, usage: '' },
];

const fail = (argv: string[]) => {
  try {
    parseFlags(defs, argv);
  } catch (e) {
    expect(e).toBeInstanceOf(FlagError);
    return (e as Error).message;
  }
  throw new Error('expected a FlagError');
};

describe('parseFlags (pflag behaviour)', () => {
  it('accepts long, =, short, attached and combined forms', () => {
    const r = parseFlags(defs, ['--replicas', '3', 'img', '--name=web', '-dq', '-e', 'A=1', '-eB=2', '--', '-x', '--y']);
    expect(r.flags.uint('replicas')).toBe(3);
    expect(r.flags.string('name')).toBe('web');
    expect(r.flags.bool('detach')).toBe(true);
    expect(r.flags.bool('quiet')).toBe(true);
    expect(r.flags.list('env')).toEqual(['A=1', 'B=2']);
    expect(r.args).toEqual(['img', '-x', '--y']);
    expect(r.flags.changed('replicas')).toBe(true);
    expect(r.flags.changed('update-delay')).toBe(false);
  });
  it('handles bool =false, -q=false, -n=value and durations', () => {
    const r = parseFlags(defs, ['--detach=false', '-q=false', '-n=x', '--update-delay', '1m30s']);
    expect(r.flags.bool('detach')).toBe(false);
    expect(r.flags.changed('detach')).toBe(true);
    expect(r.flags.bool('quiet')).toBe(false);
    expect(r.flags.string('name')).toBe('x');
    expect(r.flags.duration('update-delay')).toBe(90e9);
  });
  it('stops at the first arg when not interspersed', () => {
    const r = parseFlags(defs, ['-d', 'redis', 'ping', '-q'], false);
    expect(r.args).toEqual(['redis', 'ping', '-q']);
    expect(r.flags.bool('quiet')).toBe(false);
  });
  it('reports help', () => {
    expect(parseFlags(defs, ['x', '-h']).help).toBe(true);
    expect(parseFlags(defs, ['--help']).help).toBe(true);
  });
  it('uses pflag error texts', () => {
    expect(fail(['--replicas', 'abc'])).toBe('invalid argument "abc" for "--replicas" flag: strconv.ParseUint: parsing "abc": invalid syntax');
    expect(fail(['--replicas', '-1'])).toBe('invalid argument "-1" for "--replicas" flag: strconv.ParseUint: parsing "-1": invalid syntax');
    expect(fail(['--update-delay', '10x'])).toBe('invalid argument "10x" for "--update-delay" flag: time: unknown unit "x" in duration "10x"');
    expect(fail(['--update-delay', '10'])).toBe('invalid argument "10" for "--update-delay" flag: time: missing unit in duration "10"');
    expect(fail(['--foo'])).toBe('unknown flag: --foo');
    expect(fail(['-z'])).toBe("unknown shorthand flag: 'z' in -z");
    expect(fail(['-qz'])).toBe("unknown shorthand flag: 'z' in -z");
    expect(fail(['--replicas'])).toBe('flag needs an argument: --replicas');
    expect(fail(['-n'])).toBe("flag needs an argument: 'n' in -n");
    expect(fail(['--quiet=abc'])).toBe('invalid argument "abc" for "-q, --quiet" flag: strconv.ParseBool: parsing "abc": invalid syntax');
    expect(fail(['-f', 'bad'])).toBe('invalid argument "bad" for "-f, --filter" flag: bad format of filter (expected name=value)');
    expect(fail(['--port', '99999999999'])).toBe('invalid argument "99999999999" for "--port" flag: strconv.ParseUint: parsing "99999999999": value out of range');
    expect(fail(['--last', 'abc'])).toBe('invalid argument "abc" for "-l, --last" flag: strconv.ParseInt: parsing "abc": invalid syntax');
    expect(fail(['---x'])).toBe('bad flag syntax: ---x');
  });
});

describe('Go parsing', () => {
  it('parses durations like time.ParseDuration', () => {
    expect(parseGoDuration('10s')).toBe(10e9);
    expect(parseGoDuration('1.5h')).toBe(5400e9);
    expect(parseGoDuration('10m30s')).toBe(630e9);
    expect(parseGoDuration('500ms')).toBe(5e8);
    expect(parseGoDuration('2µs')).toBe(2000);
    expect(parseGoDuration('3us')).toBe(3000);
    expect(parseGoDuration('-1s')).toBe(-1e9);
    expect(parseGoDuration('0')).toBe(0);
    expect(parseGoDuration('.5s')).toBe(5e8);
    expect(() => parseGoDuration('x')).toThrow('time: invalid duration "x"');
    expect(() => parseGoDuration('')).toThrow('time: invalid duration ""');
    expect(() => parseGoDuration('.s')).toThrow('time: invalid duration ".s"');
    expect(() => parseGoDuration('1d')).toThrow('time: unknown unit "d" in duration "1d"');
    expect(() => parseGoDuration('9999999999h')).toThrow('time: invalid duration "9999999999h"');
  });
  it('parses integers with base prefixes and range checks', () => {
    expect(parseUint('0x10')).toBe(16);
    expect(parseUint('010')).toBe(8);
    expect(parseUint('1_000')).toBe(1000);
    expect(() => parseUint('18446744073709551616')).toThrow('strconv.ParseUint: parsing "18446744073709551616": value out of range');
    expect(parseUint('18446744073709551615')).toBeGreaterThan(1e19);
    expect(parseInt64('-5')).toBe(-5);
    expect(() => parseInt64('9223372036854775808')).toThrow('value out of range');
    expect(parseFloat64('0.5')).toBe(0.5);
    expect(() => parseFloat64('1e400')).toThrow('strconv.ParseFloat: parsing "1e400": value out of range');
    expect(() => parseFloat64('abc')).toThrow('strconv.ParseFloat: parsing "abc": invalid syntax');
  });
  it('prints durations like time.Duration.String', () => {
    expect(goDuration(10e9)).toBe('10s');
    expect(goDuration(90e9)).toBe('1m30s');
    expect(goDuration(3600e9)).toBe('1h0m0s');
    expect(goDuration(1.5e9)).toBe('1.5s');
    expect(goDuration(5e8)).toBe('500ms');
    expect(goDuration(0)).toBe('0s');
    expect(goDuration(1500)).toBe('1.5µs');
    expect(goDuration(7_776_000_000_000_000)).toBe('2160h0m0s');
    expect(goDuration(-2e9)).toBe('-2s');
  });
});
