// The one task list behind `docker service ps` and `docker node ps`, and the list formatter
// under it. Expected texts follow what CLI 28.2.2 printed against a live dockerd 20.10
// (node ps --format '{{.Name}} {{.ID}}' has no ` \_ `, -q with --format uses the format,
// raw/json forms, template error type names, \t in table formats, trimmed spaces).
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTemplates } from '../engine/cli/format/templates.js';
import type { Task } from '../engine/api/types.js';
import type { IdNames } from '../engine/cli/id-resolver.js';
import { renderList } from '../engine/cli/format/list-format.js';
import { renderTaskTable } from '../engine/cli/format/task-table.js';

// renderList runs templates from the on-demand engine, which the CLI's dispatch loads for a command with --format.
beforeAll(() => loadTemplates());

const NOW = Date.parse('2026-11-27T15:00:00Z');
const at = (secondsAgo: number) => new Date(NOW - secondsAgo * 1000).toISOString();

function task(id: string, slot: number, createdAgo: number, state: Task['Status']['State'], desired: Task['DesiredState'], err?: string): Task {
  return {
    ID: id.padEnd(25, '0'), Version: { Index: 1 }, CreatedAt: at(createdAgo), UpdatedAt: at(createdAgo), Labels: {},
    ServiceID: 'svc1', Slot: slot, NodeID: 'node1', DesiredState: desired,
    Spec: { ContainerSpec: { Image: 'redis:7.4.1@sha256:' + 'a'.repeat(64) }, ForceUpdate: 0 },
    Status: { Timestamp: at(createdAgo), State: state, Message: '', PortStatus: {}, ...(err ? { Err: err } : {}) },
  };
}

const names: IdNames = { service: (id) => (id === 'svc1' ? 'web' : id), node: (id) => (id === 'node1' ? 'manager1' : (id ?? '')) };
// Given in an order the sort has to fix: slot 10 after 2 (natural), newest first within a slot.
const tasks = [
  task('old1', 1, 60, 'shutdown', 'shutdown'),
  task('ten', 10, 5, 'running', 'running'),
  task('new1', 1, 20, 'rejected', 'ready', 'No such image: redis:9.9.9 (and a longer tail)'),
  task('two', 2, 5, 'running', 'running'),
];
const render = (format: string, opts: { trunc?: boolean; quiet?: boolean } = {}) =>
  renderTaskTable(tasks, { now: NOW, trunc: opts.trunc ?? true, quiet: opts.quiet ?? false, format, names });

describe('task table (service ps / node ps)', () => {
  it('default table: natural order, newest first in a slot, history indented, errors cut to 30 and quoted', () => {
    expect(render('')).toBe(
      'ID             NAME        IMAGE         NODE       DESIRED STATE   CURRENT STATE                 ERROR                              PORTS\n' +
        'new100000000   web.1       redis:7.4.1   manager1   Ready           Rejected 20 seconds ago       "No such image: redis:9.9.9 (a…"   \n' +
        'old100000000    \\_ web.1   redis:7.4.1   manager1   Shutdown        Shutdown about a minute ago                                      \n' +
        'two000000000   web.2       redis:7.4.1   manager1   Running         Running 5 seconds ago                                            \n' +
        'ten000000000   web.10      redis:7.4.1   manager1   Running         Running 5 seconds ago                                            \n',
    );
  });

  it('non-table formats do not indent history rows', () => {
    expect(render('{{.Name}} {{.ID}}')).toBe('web.1 new100000000\nweb.1 old100000000\nweb.2 two000000000\nweb.10 ten000000000\n');
  });

  it('-q prints IDs for the table, but a --format wins; raw has a quiet form', () => {
    expect(render('', { quiet: true, trunc: false })).toBe(
      'new1000000000000000000000\nold1000000000000000000000\ntwo0000000000000000000000\nten0000000000000000000000\n',
    );
    expect(render('{{.Name}}', { quiet: true })).toBe('web.1\nweb.1\nweb.2\nweb.10\n');
    expect(render('raw', { quiet: true })).toBe('id: new100000000\nid: old100000000\nid: two000000000\nid: ten000000000\n');
    expect(render('raw').split('\n\n')[0]).toBe(
      'id: new100000000\nname: web.1\nimage: redis:7.4.1\nnode: manager1\ndesired_state: Ready\ncurrent_state: Rejected 20 seconds ago\nerror: "No such image: redis:9.9.9 (a…"\nports: ',
    );
  });

  it('--no-trunc keeps full IDs, images and errors; json has sorted keys', () => {
    const line = render('json', { trunc: false }).split('\n')[0];
    expect(line).toBe(
      '{"CurrentState":"Rejected 20 seconds ago","DesiredState":"Ready","Error":"\\"No such image: redis:9.9.9 (and a longer tail)\\"",' +
        `"ID":"new1000000000000000000000","Image":"redis:7.4.1@sha256:${'a'.repeat(64)}","Name":"web.1","Node":"manager1","Ports":""}`,
    );
  });

  it('template errors name the Go context type', () => {
    expect(() => render('{{.Foo}}')).toThrow(
      'template parsing error: template: :1:2: executing "" at <.Foo>: can\'t evaluate field Foo in type *task.taskContext',
    );
  });
});

describe('list formats', () => {
  const rows = [{ ID: 'abc', Name: 'web' }];
  const spec = { defaultTable: 'table {{.ID}}\t{{.Name}}', rows, headers: { ID: 'ID', Name: 'NAME' } };
  it('turns the two characters \\t and \\n into real ones and trims spaces, in every format', () => {
    expect(renderList({ ...spec, format: 'table {{.Name}}\\t{{.ID}}' })).toBe('NAME      ID\nweb       abc\n');
    expect(renderList({ ...spec, format: ' {{.Name}}\\n{{.ID}} ' })).toBe('web\nabc\n');
  });
  it('-q only replaces the default table', () => {
    expect(renderList({ ...spec, format: '', quiet: true })).toBe('abc\n');
    expect(renderList({ ...spec, format: 'table', quiet: true })).toBe('abc\n');
    expect(renderList({ ...spec, format: '{{.Name}}', quiet: true })).toBe('web\n');
  });
});
