// Go templates (`--format`) print what Go's text/template and fmt print under docker CLI 28.2.2
// (go1.24), or fail with their errors; no JavaScript value (undefined, NaN, [object Object])
// ever reaches the output. Expected texts are Go's: from text/template's and fmt's sources and
// docker/cli v28.2.2 (templates/templates.go, the formatter contexts, the vendored API types).
import { beforeAll, describe, expect, it } from 'vitest';
import { Session } from '../engine/session.js';
import { executeTemplate, parseTemplate, TemplateError } from '../engine/cli/format/go-template.js';

interface Result {
  code: number;
  out: string;
  err: string;
}

let session: Session;
async function run(line: string): Promise<Result> {
  let out = '';
  let err = '';
  const code = await session.run(line, {
    stdout: { write: (s) => void (out += s) },
    stderr: { write: (s) => void (err += s) },
    tty: false,
    columns: 80,
    signal: new AbortController().signal,
  });
  return { code, out, err };
}

beforeAll(async () => {
  session = new Session({ seed: 7, mode: 'instant' });
  await run('docker service create -d --name redis --replicas 2 redis:7.4.0');
  await run('docker service create -d --name web --update-delay 10s nginx');
  await run('sleep 5');
});

const node = {
  ID: 'abc',
  Version: { Index: 9 },
  CreatedAt: '2026-11-27T15:21:28.436789978Z',
  Spec: { Labels: { a: 'b', c: '' }, Role: 'manager', Availability: 'active' },
  Description: { Hostname: 'vm', Engine: { EngineVersion: '28.2.2', Plugins: [{ Type: 'Log', Name: 'x' }, { Type: 'Net', Name: 'y' }] } },
  Status: { State: 'ready', Addr: '127.0.0.1' },
  ManagerStatus: { Leader: true, Reachability: 'reachable', Addr: '127.0.0.1:2377' },
};

/** Runs a template on the node as `docker node inspect --format` does (swarm.Node). */
function t(src: string, data: unknown = node, rootType = 'swarm.Node'): string {
  try {
    return executeTemplate(src, data, { rootType });
  } catch (e) {
    if (e instanceof TemplateError) return `ERR ${e.message}`;
    throw e;
  }
}

describe('the leaks of issue 15', () => {
  it('node ls: a field nodeContext does not have is an error, not [undefined]', async () => {
    expect(await run(`docker node ls --format '{{split .Name "-"}}'`)).toEqual({
      code: 1,
      out: '',
      err: 'template parsing error: template: :1:8: executing "" at <.Name>: can\'t evaluate field Name in type *node.nodeContext\n',
    });
  });

  it('version: truncate of a missing field is an error, not undefined', async () => {
    expect(await run(`docker version --format '{{truncate .Name 99999999}}'`)).toEqual({
      code: 1,
      out: '\n',
      err: 'template: version:1:11: executing "version" at <.Name>: can\'t evaluate field Name in type system.versionInfo\n',
    });
    expect((await run(`docker version --format '{{truncate .Client.Version 99999999}}'`)).out).toBe('28.2.2\n');
  });

  it('version: printf verbs that do not fit the value print %!verb(type=value), not NaN', async () => {
    expect((await run(`docker version -f '{{printf "%v %d %s" .Server.Version .Server.Version .Server.Version}}'`)).out).toBe(
      '28.2.2 %!d(string=28.2.2) 28.2.2\n',
    );
    const r = await run(`docker version -f '{{printf "%v %d %s" . . .}}'`);
    expect(r.code).toBe(0);
    expect(r.out).not.toMatch(/NaN|undefined|object/);
    // %v of versionInfo: Client's fields, then the *types.Version pointer inside a struct prints as an address.
    expect(r.out).toMatch(/^\{\{0xc[0-9a-f]{9} 28\.2\.2 1\.50 1\.50 e6534b4 go1\.24\.3 linux amd64 Fri May 30 12:07:14 2025 default\} 0xc[0-9a-f]{9}\} /);
    expect(r.out).toContain(' %!d(string=28.2.2) %!d(string=1.50) ');
    expect(r.out).toContain('{{%!s(*system.platformInfo=&{}) 28.2.2 ');
  });
});

describe('values are the Go values the CLI decoded', () => {
  it('a field the JSON leaves out is its zero value', async () => {
    const r = await run(
      `docker service inspect -f '{{.Spec.UpdateConfig.Delay}}|{{.UpdateStatus}}|{{json .UpdateStatus}}|{{.Spec.TaskTemplate.ContainerSpec.Args}}|{{.Spec.Mode.Replicated.Replicas}}|{{.Spec.Mode.Global}}' redis web`,
    );
    // time.Duration prints as a duration; nil pointers as <nil>, a nil slice as [].
    expect(r).toEqual({ code: 0, out: '0s|<nil>|null|[]|2|<nil>\n10s|<nil>|null|[]|1|<nil>\n', err: '' });
  });

  it('a field through a nil pointer fails as Go does', async () => {
    expect(await run(`docker service inspect -f '{{.PreviousSpec.Name}}' redis`)).toEqual({
      code: 1,
      out: '\n',
      err: 'template parsing error: template: :1:15: executing "" at <.PreviousSpec.Name>: nil pointer evaluating *swarm.ServiceSpec.Name\n',
    });
    expect((await run(`docker node inspect -f '{{.ManagerStatus}}' worker1`)).out).toBe('<nil>\n');
    expect((await run(`docker service inspect -f '{{.Spec.Mode.Global.X}}' redis`)).err).toBe(
      'template parsing error: template: :1:7: executing "" at <.Spec.Mode.Global.X>: can\'t evaluate field X in type *swarm.GlobalService\n',
    );
  });

  it('fields have their Go names, not their JSON names', async () => {
    expect((await run(`docker version -f '{{.Client.APIVersion}} {{.Server.APIVersion}}'`)).out).toMatch(/^1\.\d+ 1\.\d+\n$/);
    expect((await run(`docker version -f '{{.Server.ApiVersion}}'`)).err).toBe(
      'template: version:1:9: executing "version" at <.Server.ApiVersion>: can\'t evaluate field ApiVersion in type *types.Version\n',
    );
    expect(t('{{.Name}}')).toBe("ERR template: :1:2: executing \"\" at <.Name>: can't evaluate field Name in type swarm.Node");
    // Annotations is embedded in NodeSpec: its Name is promoted.
    expect(t('[{{.Spec.Name}}]')).toBe('[]');
  });

  it('named types keep their types: a swarm.NodeRole is not a string argument', async () => {
    expect((await run(`docker node inspect -f '{{upper .Spec.Role}}' worker1`)).err).toBe(
      'template parsing error: template: :1:13: executing "" at <.Spec.Role>: wrong type for value; expected string; got swarm.NodeRole\n',
    );
    expect((await run(`docker node inspect -f '{{.Spec.Role}} {{printf "%s" .Spec.Role}}' worker1`)).out).toBe('worker worker\n');
    expect((await run(`docker node ls --format '{{upper .Hostname}}|{{printf "%-8s|%5v" .Status .Self}}'`)).out).toBe(
      'MANAGER1|Ready   | true\nWORKER1|Ready   |false\nWORKER2|Ready   |false\n',
    );
  });

  it('prints structs, maps, pointers, times, durations and Stringers as fmt does', () => {
    expect(t('{{.Spec.Labels}}')).toBe('map[a:b c:]');
    expect(t('{{.ManagerStatus}}')).toBe('{true reachable 127.0.0.1:2377}');
    expect(t('{{print .ManagerStatus}}')).toBe('&{true reachable 127.0.0.1:2377}');
    expect(t('{{printf "%+v" .ManagerStatus}}')).toBe('&{Leader:true Reachability:reachable Addr:127.0.0.1:2377}');
    expect(t('{{printf "%#v" .Spec}}')).toBe(
      'swarm.NodeSpec{Annotations:swarm.Annotations{Name:"", Labels:map[string]string{"a":"b", "c":""}}, Role:"manager", Availability:"active"}',
    );
    // swarm.Version has a String method; time.Time prints with its String method.
    expect(t('{{.Version}} {{.Version.Index}} {{json .Version}}')).toBe('9 9 {"Index":9}');
    expect(t('{{.CreatedAt}} | {{.UpdatedAt}}')).toBe('2026-11-27 15:21:28.436789978 +0000 UTC | 0001-01-01 00:00:00 +0000 UTC');
    expect(t('{{.CreatedAt.Year}} {{.CreatedAt.Format "Jan 2, 2006 at 3:04pm (MST)"}} {{.CreatedAt.Unix}}')).toBe('2026 Nov 27, 2026 at 3:21pm (UTC) 1795792888');
    expect(t('{{.Status}}')).toBe('{ready  127.0.0.1}');
    expect(t('{{.Description.TLSInfo}}')).toBe('{ [] []}');
    expect(t('{{json .Description.Platform}} {{json .Status}} {{json .Spec}}')).toBe(
      '{} {"State":"ready","Addr":"127.0.0.1"} {"Labels":{"a":"b","c":""},"Role":"manager","Availability":"active"}',
    );
    expect(t('{{printf "%v %d %s %x" .CreatedAt .CreatedAt .Version .Version}}')).toBe(
      '2026-11-27 15:21:28.436789978 +0000 UTC {436789978 63931389688 0} 9 39',
    );
  });
});

describe('fmt verbs', () => {
  const cases: [string, string][] = [
    ['{{printf "%d %s %v %x %X %o %O %b %c %q %U %#U" 42 42 42 255 255 8 8 5 65 65 65 65}}', "42 %!s(int=42) 42 ff FF 10 0o10 101 A 'A' U+0041 U+0041 'A'"],
    ['{{printf "%5d|%-5d|%05d|%+d|% d|%.3d|%x|%#x|%#o|%#b" 42 42 42 42 42 42 -255 255 8 5}}', '   42|42   |00042|+42| 42|042|-ff|0xff|010|0b101'],
    ['{{printf "%s %v %q %x % x %#x %10s|%-10s|%.2s|%5.1s" "héllo" "a" "a\\"b" "hi" "hi" "hi" "r" "l" "héllo" "xyz"}}', 'héllo a "a\\"b" 6869 68 69 0x6869          r|l         |hé|    x'],
    ['{{printf "%t %v %d" 1 true true}}', '%!t(int=1) true %!d(bool=true)'],
    ['{{printf "%d"}} {{printf "%d %d" 1}} {{printf "x" 1 "a"}} {{printf "%!"}} {{printf "%"}} {{printf "%z" 3}}', '%!d(MISSING) 1 %!d(MISSING) x%!(EXTRA int=1, string=a) %!!(MISSING) %!(NOVERB) %!z(int=3)'],
    ['{{printf "%[2]d %[1]d" 1 2}} {{printf "%[3]d" 1 2}} {{printf "%*d|%-*d|%.*f" 5 1 4 2 2 3.14159}}', '2 1 %!d(BADINDEX)     1|2   |3.14'],
    ['{{printf "%*d" "x" 1}}', '%!(BADWIDTH)1'],
    ['{{printf "%v %v %v %v %v %v" 1e6 1e20 1e21 0.000001 0.00001 100000.0}}', '1e+06 1e+20 1e+21 1e-06 1e-05 100000'],
    ['{{printf "%.0f %.0f %.0f %.1f %.2f %e %.3e %g %.3g %G %E" 0.5 1.5 2.5 0.25 1.005 123456.789 0.0001234 123456789.0 0.000012345 1e-10 1e100}}', '0 2 2 0.2 1.00 1.234568e+05 1.234e-04 1.23456789e+08 1.23e-05 1E-10 1.000000E+100'],
    ['{{printf "%08.3f|%-8.2f|%+.1e|% .2f|%#.0f|%#g|%#.3g" 3.14159 3.14159 12345.678 1.0 2.0 1.0 1.0}}', '0003.142|3.14    |+1.2e+04| 1.00|2.|1.00000|1.00'],
    ['{{printf "%x %X %#v %v %v" 3.5 -1.0 1.0 1i 1.5e300}}', '0x1.cp+01 -0X1P+00 1 (0+1i) 1.5e+300'],
    ['{{printf "%v %T %T %T %T %T" nil nil 1 "s" 1.5 .}}', '<nil> <nil> int string float64 swarm.Node'],
    ['{{printf "%v|%s|%d" .Spec.Labels .Spec.Labels .Spec.Labels}}', 'map[a:b c:]|map[a:b c:]|map[%!d(string=a):%!d(string=b) %!d(string=c):%!d(string=)]'],
    ['{{printf "%s %d %v" .ManagerStatus .ManagerStatus.Leader .Status}}', '&{%!s(bool=true) reachable 127.0.0.1:2377} %!d(bool=true) {ready  127.0.0.1}'],
    ['{{printf "%p" .ID}} {{printf "%s" nil}} {{printf "%d" .Description.Engine.Plugins}}', '%!p(string=abc) %!s(<nil>) [{%!d(string=Log) %!d(string=x)} {%!d(string=Net) %!d(string=y)}]'],
    ['{{print 1 2 "a" "b" 3 .ID nil}}|{{println 1 "a" nil}}', '1 2ab3abc<nil>|1 a <nil>\n'],
    ['{{printf "%d %d %x" 9223372036854775807 -9223372036854775808 -1}}', '9223372036854775807 -9223372036854775808 -1'],
    ['{{printf "%c|%q|%U" 128512 -1 -1}}', '😀|\'�\'|U+FFFFFFFFFFFFFFFF'],
    ['{{printf "%q %+q %#q %q" "\\xff\\u00e9" "é" "a`b" "\\t"}}', '"\\xffé" "\\u00e9" "a`b" "\\t"'],
    ['{{printf "%#q" "ab"}}', '`ab`'],
    ['{{printf "%6.2v|%-6v|%06v" 3.14159 true "ab"}}', '   3.1|true  |0000ab'],
    ['{{printf "%s" (split "a,b" ",")}} {{printf "%q" (split "a,b" ",")}} {{printf "%x" "日本"}}', '[a b] ["a" "b"] e697a5e69cac'],
  ];
  it.each(cases)('%s', (src, want) => {
    expect(t(src)).toBe(want);
  });
});

describe('functions', () => {
  const cases: [string, string][] = [
    ['{{split .ID}}', 'ERR template: :1:2: executing "" at <split>: wrong number of args for split: want 2 got 1'],
    ['{{split .ID 1}}', 'ERR template: :1:12: executing "" at <1>: expected string; found 1'],
    ['{{join .ID ","}}', 'ERR template: :1:7: executing "" at <.ID>: wrong type for value; expected []string; got string'],
    ['{{join .Spec.Labels ","}}', 'ERR template: :1:12: executing "" at <.Spec.Labels>: wrong type for value; expected []string; got map[string]string'],
    ['{{join (split "a,b,c" ",") "+"}} {{split "" ","}} {{split "日本" ""}} {{len (split "abc" "")}}', 'a+b+c [] [日 本] 3'],
    ['{{truncate .ID -1}}', 'ERR template: :1:2: executing "" at <truncate .ID -1>: error calling truncate: runtime error: slice bounds out of range [:-1]'],
    ['{{truncate .ID 1.5}}', 'ERR template: :1:15: executing "" at <1.5>: expected integer; found 1.5'],
    ['{{truncate .ID 2}}|{{truncate .ID 99999999}}|{{truncate "日本" 3}}', 'ab|abc|日'],
    ['{{pad .ID -1 0}}', 'ERR template: :1:2: executing "" at <pad .ID -1 0>: error calling pad: strings: negative Repeat count'],
    ['[{{pad "" -1 0}}][{{pad .ID 1 2}}]', '[][ abc  ]'],
    ['{{index .ID 5}}', 'ERR template: :1:2: executing "" at <index .ID 5>: error calling index: index out of range: 5'],
    ['{{index .ID 3}}', 'ERR template: :1:2: executing "" at <index .ID 3>: error calling index: reflect: string index out of range'],
    ['{{index .ID 1}} {{index .Spec.Labels "a"}} [{{index .Spec.Labels "zz"}}] {{index .Description.Engine.Plugins 1}}', '98 b [] {Net y}'],
    ['{{index .Spec.Labels 1}}', 'ERR template: :1:2: executing "" at <index .Spec.Labels 1>: error calling index: value has type int; should be string'],
    ['{{index nil 1}}', 'ERR template: :1:2: executing "" at <index nil 1>: error calling index: index of untyped nil'],
    ['{{index .ManagerStatus "a"}}', 'ERR template: :1:2: executing "" at <index .ManagerStatus "a">: error calling index: can\'t index item of type swarm.ManagerStatus'],
    ['{{len 3}}', 'ERR template: :1:2: executing "" at <len 3>: error calling len: len of type int'],
    ['{{len .ID}} {{len .Spec.Labels}} {{len .Description.Engine.Plugins}} {{len "日本"}}', '3 2 2 6'],
    ['{{slice .ID 2 1}}', 'ERR template: :1:2: executing "" at <slice .ID 2 1>: error calling slice: invalid slice index: 2 > 1'],
    ['{{slice .ID 1 2 3}}', 'ERR template: :1:2: executing "" at <slice .ID 1 2 3>: error calling slice: cannot 3-index slice a string'],
    ['{{slice .ID 1}} {{slice .ID 0 2}} {{slice .Description.Engine.Plugins 1}}', 'bc ab [{Net y}]'],
    ['{{eq .ID 1}}', 'ERR template: :1:2: executing "" at <eq .ID 1>: error calling eq: incompatible types for comparison: string and int'],
    ['{{eq .ID}}', 'ERR template: :1:2: executing "" at <eq .ID>: error calling eq: missing argument for comparison'],
    ['{{lt true false}}', 'ERR template: :1:2: executing "" at <lt true false>: error calling lt: invalid type for comparison'],
    ['{{eq .Spec .Spec}}', 'ERR template: :1:2: executing "" at <eq .Spec .Spec>: error calling eq: non-comparable type {{ map[a:b c:]} manager active}: swarm.NodeSpec'],
    ['{{eq .ID "x" "abc"}} {{ne 1 2}} {{lt 1 2}} {{le 2 2}} {{gt "b" "a"}} {{ge 1.5 2.5}} {{eq .ManagerStatus nil}} {{eq 1 .Version.Index}}', 'true true true true true false false false'],
    ['{{and 1 0 2}} {{or 0 "" 3}} {{and 1 2}} [{{or 0 ""}}] {{not 0}} {{not .Spec.Labels}}', '0 3 2 [] true false'],
    ['{{and}}', 'ERR template: :1:2: executing "" at <and>: wrong number of args for and: want at least 1 got 0'],
    ['{{call .ID}}', 'ERR template: :1:2: executing "" at <call .ID>: error calling call: non-function .ID of type string'],
    ['{{html "<a&b>"}} {{js "a\'b<"}} {{urlquery "a b&c"}} {{html .ManagerStatus}}', '&lt;a&amp;b&gt; a\\\'b\\u003C a+b%26c {true reachable 127.0.0.1:2377}'],
    ['{{title "héllo wörld-x_y don\'t"}} {{upper "straße"}} {{lower "ÀB"}}', "Héllo Wörld-X_y Don'T STRAßE àb"],
    // strings.Map writes U+FFFD for a byte that is not UTF-8; truncate cuts bytes, not characters.
    ['{{title "a\\xffb"}} {{upper "\\xff"}} {{truncate "é" 1 | len}} {{printf "%q" (truncate "é" 1)}}', 'A\ufffdb \ufffd 1 "\\xc3"'],
    ['{{json .}}', '{"ID":"abc","Version":{"Index":9},"CreatedAt":"2026-11-27T15:21:28.436789978Z","UpdatedAt":"0001-01-01T00:00:00Z","Spec":{"Labels":{"a":"b","c":""},"Role":"manager","Availability":"active"},"Description":{"Hostname":"vm","Platform":{},"Resources":{},"Engine":{"EngineVersion":"28.2.2","Plugins":[{"Type":"Log","Name":"x"},{"Type":"Net","Name":"y"}]},"TLSInfo":{}},"Status":{"State":"ready","Addr":"127.0.0.1"},"ManagerStatus":{"Leader":true,"Reachability":"reachable","Addr":"127.0.0.1:2377"}}'],
    ['{{json nil}} {{json 1.5}} {{json "<&>"}} {{json (split "a" ",")}} {{json .Description.Engine.Plugins}}', 'null 1.5 "<&>" ["a"] [{"Type":"Log","Name":"x"},{"Type":"Net","Name":"y"}]'],
  ];
  it.each(cases)('%s', (src, want) => {
    expect(t(src)).toBe(want);
  });
});

describe('execution', () => {
  const cases: [string, string][] = [
    ['{{nil}}', 'ERR template: :1:2: executing "" at <nil>: nil is not a command'],
    ['{{.ID 1}}', 'ERR template: :1:2: executing "" at <.ID>: ID has arguments but cannot be invoked as function'],
    ['{{.Spec.Labels.a 1}}', 'ERR template: :1:7: executing "" at <.Spec.Labels.a>: a is not a method but has arguments'],
    ['{{"x" | .ID}}', 'ERR template: :1:8: executing "" at <.ID>: ID has arguments but cannot be invoked as function'],
    ['{{.ID.Nope}}', 'ERR template: :1:5: executing "" at <.ID.Nope>: can\'t evaluate field Nope in type string'],
    // The position is the first chained field's, as Go's parser records it.
    ['{{.Spec.Nope.X}}', 'ERR template: :1:7: executing "" at <.Spec.Nope.X>: can\'t evaluate field Nope in type swarm.NodeSpec'],
    ['{{(1).X}}', 'ERR template: :1:3: executing "" at <1>: can\'t evaluate field X in type int'],
    ['{{18446744073709551615}}', 'ERR template: :1:2: executing "" at <18446744073709551615>: 18446744073709551615 overflows int'],
    ['{{template "x"}}', 'ERR template: :1:11: executing "" at <{{template "x"}}>: template "x" not defined'],
    ['{{define "x"}}X{{.ID}}{{end}}{{template "x" .}}{{template "x" .Spec}}', 'ERR template: :1:17: executing "x" at <.ID>: can\'t evaluate field ID in type swarm.NodeSpec'],
    ['{{range .ID}}{{end}}', "ERR template: :1:8: executing \"\" at <.ID>: range can't iterate over abc"],
    ['{{range $i, $x := 3}}{{end}}', 'ERR template: :1:18: executing "" at <3>: can\'t use 3 to iterate over more than one variable'],
    ['{{range 3}}{{.}}{{end}} {{range $i := 2}}{{$i}}{{end}} {{range 0}}x{{else}}none{{end}} {{range .Spec.Labels}}[{{.}}]{{end}}', '012 01 none [b][]'],
    ['{{range $i, $p := .Description.Engine.Plugins}}{{if eq $p.Name "x"}}{{continue}}{{end}}{{$i}}={{.Type}}{{break}}{{end}}', '1=Net'],
    ['{{with .ManagerStatus}}{{.Addr}}{{end}} {{with .Spec.Name}}x{{else with .Status}}{{.State}}{{end}} {{if .Spec.Name}}a{{else if .ID}}b{{end}}', '127.0.0.1:2377 ready b'],
    ['{{$x := 1}}{{$x = "a"}}{{$x}} {{$}}', 'a {abc {9 2026-11-27 15:21:28.436789978 +0000 UTC 0001-01-01 00:00:00 +0000 UTC} {{ map[a:b c:]} manager active} {vm { } {0 0 []} {28.2.2 map[] [{Log x} {Net y}]} { [] []} []} {ready  127.0.0.1} 0xc'],
    ['{{.ID | len | printf "%05d"}} {{"a" | printf "%s-%s" "b"}}', '00003 b-a'],
    ['{{-3}} {{- 3}}|{{3 -}} |', '-33|3|'],
    ['a\n{{.Nope}}', 'ERR template: :2:2: executing "" at <.Nope>: can\'t evaluate field Nope in type swarm.Node'],
  ];
  it.each(cases)('%s', (src, want) => {
    const got = t(src);
    if (want.endsWith('0xc')) expect(got.startsWith(want)).toBe(true);
    else expect(got).toBe(want);
  });

  it('keeps what was written before an error, as Go does', () => {
    try {
      executeTemplate('a{{.ID}}b{{.Nope}}c', node, { rootType: 'swarm.Node' });
      expect.unreachable();
    } catch (e) {
      expect((e as TemplateError).partial).toBe('aabcb');
    }
  });

  it('stops runaway templates with an error instead of hanging', () => {
    expect(t('{{pad "x" 99999999 0}}')).toBe('ERR template: :1:2: executing "" at <pad "x" 99999999 0>: output exceeds the 1 MiB this terminal accepts');
    expect(t('{{range 1000000000}}{{end}}')).toMatch(/^ERR template: :1:\d+: executing "" at <.*>: more than 1000000 steps: execution stopped$/);
    expect(t('{{define "r"}}{{template "r" .}}{{end}}{{template "r" .}}')).toMatch(/exceeded maximum template depth \(100000\)$/);
  });
});

describe('parsing', () => {
  const cases: [string, string][] = [
    ['{{.ID', 'ERR template: :1: unclosed action'],
    ['{{end}}', 'ERR template: :1: unexpected {{end}}'],
    ['{{if .ID}}x', 'ERR template: :1: unexpected EOF'],
    ['{{if}}{{end}}', 'ERR template: :1: missing value for if'],
    ['{{foo}}', 'ERR template: :1: function "foo" not defined'],
    ['{{| .ID}}', 'ERR template: :1: unexpected "|" in command'],
    ['{{.ID | 1}}', 'ERR template: :1: non executable command in pipeline stage 2'],
    ['{{(.ID}}', 'ERR template: :1: unclosed left paren'],
    ['{{.ID)}}', 'ERR template: :1: unexpected right paren'],
    ['{{"abc}}', 'ERR template: :1: unterminated quoted string'],
    ["{{'ab'}}", "ERR template: :1: malformed character constant: 'ab'"],
    ['{{"\\q"}}', 'ERR template: :1: invalid syntax'],
    ['{{3x}}', 'ERR template: :1: bad number syntax: "3x"'],
    ['{{99999999999999999999}}', 'ERR template: :1: integer overflow: "99999999999999999999"'],
    ['{{1e999}}', 'ERR template: :1: illegal number syntax: "1e999"'],
    ['{{.ID.}}', 'ERR template: :1: unexpected <.> in operand'],
    ['{{.ID#}}', "ERR template: :1: bad character U+0023 '#'"],
    ['{{/* unclosed', 'ERR template: :1: unclosed comment'],
    ['{{$a, $b := .ID}}', 'ERR template: :1: too many declarations in command'],
    ['{{range $a, 3}}{{end}}', 'ERR template: :1: range can only initialize variables'],
    ['{{break}}', 'ERR template: :1: {{break}} outside {{range}}'],
    ['{{"a".X}}', 'ERR template: :1: unexpected . after term "\\"a\\""'],
    ['{{if .ID}}a{{else}}b{{else}}c{{end}}', 'ERR template: :1: expected end; found {{else}}'],
    ['{{$x}}', 'ERR template: :1: undefined variable "$x"'],
    ['x\n{{.ID\n.Nope}}\n{{end}}', 'ERR template: :4: unexpected {{end}}'],
    ["{{0x_1F}} {{1_000}} {{0b101}} {{0o17}} {{017}} {{1e3}} {{.5}} {{0x1p-2}} {{'a'}} {{'\\n'}} {{1+2i}} {{2i}} {{-0x10}} {{\"\\x41\\u00e9\"}} {{`r\\n`}}", '31 1000 5 15 15 1000 0.5 0.25 97 10 (1+2i) (0+2i) -16 Aé r\\n'],
    ['{{/* c */}}ok{{- /* d */ -}} x', 'okx'],
  ];
  it.each(cases)('%s', (src, want) => {
    expect(t(src)).toBe(want);
  });
});

describe('table headers', () => {
  it('ls runs the header row as docker/cli does: header functions, the header map, after the rows', async () => {
    expect((await run(`docker service ls --format 'table {{lower .Name}}\\t{{json .Replicas}}\\t{{split .Image ":"}}'`)).out).toBe(
      'NAME      REPLICAS   IMAGE\nredis     "2/2"      [redis 7.4.0]\nweb       "1/1"      [nginx latest]\n',
    );
    // No rows: only the header, where a field the map lacks is <no value>.
    expect(await run(`docker service ls --filter name=nosuch --format 'table {{.Name}}\\t{{.Nope}}'`)).toEqual({ code: 0, out: 'NAME      <no value>\n', err: '' });
    // A row's error wins: nothing is printed.
    expect((await run(`docker service ls --format 'table {{.Name}}\\t{{.Nope}}'`)).out).toBe('');
  });

  it('run on the header map with docker\'s header functions; an error only cuts the header short', () => {
    const headers = { Name: 'NAME', ID: 'ID' };
    const tmpl = parseTemplate('{{upper .Name}}\t{{json .ID}}\t{{truncate .Name 1}}\t{{.Nope}}\t{{pad .ID 1 1}}', { rootType: '*service.serviceContext' });
    expect(tmpl.executeHeader(headers)).toBe('NAME\tID\tNAME\t<no value>\t ID ');
    expect(parseTemplate('{{.Name}}|{{json .}}|after', { rootType: '*service.serviceContext' }).executeHeader(headers)).toBe('NAME|');
  });
});
