// docker ps / docker container ls: the connected node's containers (swarm task containers).
import type { ContainerSummary } from '../../../api/types.js';
import type { CommandDef } from '../../command.js';
import { renderList } from '../../format/list-format.js';
import { agoCapitalised } from '../../format/human-duration.js';
import { truncateId } from '../../format/ids.js';
import { displayContainerImage } from '../../format/image-ref.js';
import { goQuote } from '../../format/go-parse.js';
import { ellipsis } from '../../format/table.js';
import { FORMAT_TABLE_USAGE } from '../../format/usage-texts.js';

const DEFAULT_TABLE =
  'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.CreatedAt}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}';
const HEADERS = {
  ID: 'CONTAINER ID',
  Image: 'IMAGE',
  Command: 'COMMAND',
  CreatedAt: 'CREATED',
  RunningFor: 'CREATED',
  Status: 'STATUS',
  Ports: 'PORTS',
  Names: 'NAMES',
  State: 'STATE',
  Labels: 'LABELS',
};

function ports(c: ContainerSummary): string {
  return [...c.Ports]
    .sort((a, b) => a.PrivatePort - b.PrivatePort)
    .map((p) => (p.PublicPort ? `0.0.0.0:${p.PublicPort}->${p.PrivatePort}/${p.Type}` : `${p.PrivatePort}/${p.Type}`))
    .join(', ');
}

function names(c: ContainerSummary, trunc: boolean): string {
  const stripped = c.Names.map((n) => n.replace(/^\//, ''));
  if (trunc) {
    const plain = stripped.find((n) => !n.includes('/'));
    if (plain !== undefined) return plain;
  }
  return stripped.join(',');
}

const psFlags: CommandDef['flags'] = [
  { name: 'all', short: 'a', kind: 'bool', usage: 'Show all containers (default shows just running)' },
  { name: 'filter', short: 'f', kind: 'filter', usage: 'Filter output based on conditions provided' },
  { name: 'format', kind: 'string', usage: FORMAT_TABLE_USAGE },
  { name: 'last', short: 'n', kind: 'int', usage: 'Show n last created containers (includes all states)', default: -1, defaultText: '-1' },
  { name: 'latest', short: 'l', kind: 'bool', usage: 'Show the latest created container (includes all states)' },
  { name: 'no-trunc', kind: 'bool', usage: "Don't truncate output" },
  { name: 'quiet', short: 'q', kind: 'bool', usage: 'Only display container IDs' },
  { name: 'size', short: 's', kind: 'bool', usage: 'Display total file sizes' },
];

const ALIASES = 'docker container ls, docker container list, docker container ps, docker ps';

const runPs: CommandDef['run'] = async (ctx, inv) => {
  const last = inv.flags.int('last');
  const latest = inv.flags.bool('latest');
  let containers = await ctx.api.containerList({ all: inv.flags.bool('all') || latest || last !== -1 });
  containers = [...containers].sort((a, b) => b.Created - a.Created);
  if (latest) containers = containers.slice(0, 1);
  else if (last > 0) containers = containers.slice(0, last);
  const trunc = !inv.flags.bool('no-trunc');
  if (inv.flags.bool('quiet')) {
    ctx.stdout.write(containers.map((c) => (trunc ? truncateId(c.Id) : c.Id) + '\n').join(''));
    return 0;
  }
  const now = ctx.clock.now();
  const rows = containers.map((c) => ({
    ID: trunc ? truncateId(c.Id) : c.Id,
    Image: trunc ? displayContainerImage(c.Image) : c.Image,
    Command: goQuote(trunc ? ellipsis(c.Command, 20) : c.Command),
    CreatedAt: agoCapitalised(now - c.Created * 1000),
    RunningFor: agoCapitalised(now - c.Created * 1000),
    Status: c.Status,
    Ports: ports(c),
    Names: names(c, trunc),
    State: c.State,
    Labels: Object.entries(c.Labels).map(([k, v]) => `${k}=${v}`).join(','),
  }));
  ctx.stdout.write(
    renderList({ format: inv.flags.string('format'), defaultTable: DEFAULT_TABLE, rows, headers: HEADERS, typeName: '*formatter.ContainerContext' }),
  );
  return 0;
};

export const psCommand: CommandDef = {
  name: 'ps',
  usage: '[OPTIONS]',
  short: 'List containers',
  aliasesText: ALIASES,
  args: { max: 0 },
  flags: psFlags,
  run: runPs,
};

export const containerLsCommand: CommandDef = {
  ...psCommand,
  name: 'ls',
  aliases: ['list', 'ps'],
};
