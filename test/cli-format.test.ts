import { beforeAll, describe, expect, it } from 'vitest';
import { loadTemplates } from '../engine/cli/format/templates.js';
import { renderTable, ellipsis } from '../engine/cli/format/table.js';
import { displayWidth } from '../engine/text-width.js';
import { humanDuration, agoLowercase, agoCapitalised } from '../engine/cli/format/human-duration.js';
import { goJsonIndent, goJsonCompact, inspectJson } from '../engine/cli/format/json.js';
import { executeTemplate, TemplateError } from '../engine/cli/format/go-template.js';
import { formatRfc3339Nano, goTimeString, parseTimestamp, capitalizeFirst } from '../engine/cli/format/time.js';
import { naturalLess } from '../engine/cli/format/natural-sort.js';
import { bytesSize } from '../engine/cli/format/units.js';
import { renderList } from '../engine/cli/format/list-format.js';

// renderList runs templates from the on-demand engine, which the CLI's dispatch loads for a command with --format.
beforeAll(() => loadTemplates());

describe('renderTable', () => {
  it('reproduces a captured docker node ls table', () => {
    const out = renderTable([
      ['ID', 'HOSTNAME', 'STATUS', 'AVAILABILITY', 'MANAGER STATUS', 'ENGINE VERSION'],
      ['ssilekqfve4nf2peyh49do1mk *', 'vm', 'Ready', 'Active', 'Leader', '20.10.24+dfsg1'],
    ]);
    expect(out).toBe(
      'ID                            HOSTNAME   STATUS    AVAILABILITY   MANAGER STATUS   ENGINE VERSION\n' +
        'ssilekqfve4nf2peyh49do1mk *   vm         Ready     Active         Leader           20.10.24+dfsg1\n',
    );
  });
  it('pads empty columns to the minimum width and leaves the last column unpadded', () => {
    expect(renderTable([['ID', 'NAME', 'PORTS'], ['a', '', '']])).toBe('ID        NAME      PORTS\na                   \n');
  });
  it('measures … as one cell and CJK as two', () => {
    expect(displayWidth('ab…')).toBe(3);
    expect(displayWidth('节点')).toBe(4);
    expect(renderTable([['节点名称', 'X'], ['a', 'b']])).toBe('节点名称   X\na          b\n');
    expect(ellipsis('no suitable node (1 node not available for new tasks)', 30)).toBe('no suitable node (1 node not …');
    expect(ellipsis('short', 30)).toBe('short');
  });
});

describe('humanDuration (go-units)', () => {
  const s = 1000;
  it.each([
    [0, 'Less than a second'],
    [999, 'Less than a second'],
    [1 * s, '1 second'],
    [59 * s, '59 seconds'],
    [60 * s, 'About a minute'],
    [119 * s, 'About a minute'],
    [120 * s, '2 minutes'],
    [59 * 60 * s, '59 minutes'],
    [60 * 60 * s, 'About an hour'],
    [89 * 60 * s, 'About an hour'],
    [90 * 60 * s, '2 hours'],
    [47 * 3600 * s, '47 hours'],
    [48 * 3600 * s, '2 days'],
    [14 * 24 * 3600 * s, '2 weeks'],
    [90 * 24 * 3600 * s, '3 months'],
    [800 * 24 * 3600 * s, '2 years'],
  ])('%i ms → %s', (ms, text) => expect(humanDuration(ms)).toBe(text));
  it('has lowercase and capitalised ago forms', () => {
    expect(agoLowercase(300)).toBe('less than a second ago');
    expect(agoLowercase(70_000)).toBe('about a minute ago');
    expect(agoCapitalised(70_000)).toBe('About a minute ago');
  });
});

describe('JSON', () => {
  it('indents by 4 and escapes HTML like Go', () => {
    expect(goJsonIndent({ a: [], b: {}, c: '<&>', d: [1] })).toBe(
      '{\n    "a": [],\n    "b": {},\n    "c": "\\u003c\\u0026\\u003e",\n    "d": [\n        1\n    ]\n}',
    );
    expect(inspectJson([])).toBe('[]\n');
    expect(goJsonCompact({ x: '<a>', y: '\b' })).toBe('{"x":"<a>","y":"\\u0008"}');
    expect(goJsonCompact({ x: 'a\\b' })).toBe('{"x":"a\\\\b"}');
  });
});

describe('Go templates', () => {
  const node = {
    ID: 'abc',
    Spec: { Labels: { a: 'b', c: '' }, Role: 'manager', Availability: 'active' },
    ManagerStatus: { Leader: true, Reachability: 'reachable', Addr: '127.0.0.1:2377' },
    Description: { Engine: { Plugins: [{ Type: 'Log', Name: 'x' }, { Type: 'Net', Name: 'y' }] } },
    Endpoint: { Spec: { Ports: [{ Protocol: 'tcp', TargetPort: 80, PublishedPort: 8080, PublishMode: 'ingress' }] } },
    CreatedAt: '2026-11-27T15:21:28.436789978Z',
  };
  const t = (src: string, data: unknown = node) => executeTemplate(src, data, { rootType: 'swarm.Node' });
  it('evaluates fields, functions, pipelines and control flow', () => {
    expect(t('{{.ID}} {{.Spec.Role}}')).toBe('abc manager');
    expect(t('{{json .Spec.Labels}}')).toBe('{"a":"b","c":""}');
    // swarm.Node has no Endpoint; swarm.Service does.
    expect(executeTemplate('{{json .Endpoint.Spec.Ports}}', node, { rootType: 'swarm.Service' })).toBe('[{"Protocol":"tcp","TargetPort":80,"PublishedPort":8080,"PublishMode":"ingress"}]');
    expect(t('{{.Spec.Labels}}')).toBe('map[a:b c:]');
    expect(t('{{.ManagerStatus}}')).toBe('{true reachable 127.0.0.1:2377}');
    expect(t('{{range .Description.Engine.Plugins}}{{.Name}},{{end}}')).toBe('x,y,');
    expect(t('{{if .ManagerStatus}}mgr{{else}}wrk{{end}} {{.Spec.Labels.a}} {{index .Spec.Labels "a"}} {{len .Spec.Labels}}')).toBe('mgr b b 2');
    expect(t('{{upper .ID}}|{{.ID | upper}}|{{lower "AB"}}|{{title "abc def"}}')).toBe('ABC|ABC|ab|Abc Def');
    expect(t('{{join (split "a,b" ",") "-"}}')).toBe('a-b');
    expect(t('{{println .ID}}')).toBe('abc\n');
    expect(t('{{range $k, $v := .Spec.Labels}}{{$k}}={{$v}};{{end}}')).toBe('a=b;c=;');
    expect(t('{{- .ID -}}  \n {{.ID}}')).toBe('abcabc');
    expect(t('{{if eq .Spec.Role "worker"}}w{{else if eq .Spec.Role "manager"}}m{{end}}')).toBe('m');
    expect(t('{{.CreatedAt}}')).toBe('2026-11-27 15:21:28.436789978 +0000 UTC');
    expect(t('{{.Spec.Labels.zz}}')).toBe('<no value>');
    expect(t('{{printf "%s-%d" .ID 3}}')).toBe('abc-3');
  });
  it('reports Go-like errors', () => {
    const msg = (src: string) => {
      try {
        t(src);
      } catch (e) {
        expect(e).toBeInstanceOf(TemplateError);
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(msg('{{.ID')).toBe('template: :1: unclosed action');
    expect(msg('{{foo .ID}}')).toBe('template: :1: function "foo" not defined');
    expect(msg('{{.Nope}}')).toBe('template: :1:2: executing "" at <.Nope>: can\'t evaluate field Nope in type swarm.Node');
    expect(msg('{{.ID.Nope}}')).toBe('template: :1:5: executing "" at <.ID.Nope>: can\'t evaluate field Nope in type string');
    expect(msg('{{if .ID}}x')).toBe('template: :1: unexpected EOF');
    expect(msg('{{end}}')).toBe('template: :1: unexpected {{end}}');
  });
  it('runs list formats: table, json and plain templates', () => {
    const rows = [{ ID: 'a1', Name: 'web' }, { ID: 'b2', Name: 'db' }];
    const headers = { ID: 'ID', Name: 'NAME' };
    expect(renderList({ format: '', defaultTable: 'table {{.ID}}\t{{.Name}}', rows, headers })).toBe('ID        NAME\na1        web\nb2        db\n');
    expect(renderList({ format: 'table {{.Name}}\\t{{.ID}}', defaultTable: '', rows, headers })).toBe('NAME      ID\nweb       a1\ndb        b2\n');
    expect(renderList({ format: 'json', defaultTable: '', rows: [{ Name: 'x', ID: 'y' }], headers })).toBe('{"ID":"y","Name":"x"}\n');
    expect(renderList({ format: '{{.Name}}', defaultTable: '', rows, headers })).toBe('web\ndb\n');
  });
});

describe('time and misc', () => {
  it('formats RFC3339Nano and Go time strings', () => {
    const ts = parseTimestamp('2026-11-27T14:23:00.26534309Z');
    expect(ts.nanos).toBe(265343090);
    expect(formatRfc3339Nano(ts.ms, ts.nanos)).toBe('2026-11-27T14:23:00.26534309Z');
    expect(formatRfc3339Nano(Date.parse('2026-11-27T14:23:00Z'))).toBe('2026-11-27T14:23:00Z');
    expect(capitalizeFirst(goTimeString('2026-11-27T14:19:20.796952432Z'))).toBe('2026-11-27 14:19:20.796952432 +0000 utc');
  });
  it('sorts naturally and sizes in binary units', () => {
    expect(naturalLess('redis.2', 'redis.10')).toBe(true);
    expect(naturalLess('worker10', 'worker9')).toBe(false);
    expect(['worker2', 'manager1', 'worker10', 'worker1'].sort((a, b) => (naturalLess(a, b) ? -1 : 1))).toEqual(['manager1', 'worker1', 'worker2', 'worker10']);
    expect(bytesSize(25276026880)).toBe('23.54GiB');
    expect(bytesSize(2 * 1024 ** 3)).toBe('2GiB');
  });
});
