// docker service ls
import type { CommandDef } from '../../command.js';
import { renderTable } from '../../format/table.js';
import { LS_FLAGS } from './flag-defs.js';
import { toFilters } from '../../format/filters.js';
import { renderListFormat } from './list-format.js';
import { serviceListContext } from './service-row.js';
import { naturalCompare } from '../../format/natural-sort.js';

const COLUMNS: [string, string][] = [
  ['ID', 'ID'],
  ['Name', 'NAME'],
  ['Mode', 'MODE'],
  ['Replicas', 'REPLICAS'],
  ['Image', 'IMAGE'],
  ['Ports', 'PORTS'],
];

export const lsCommand: CommandDef = {
  name: 'ls',
  aliases: ['list'],
  usage: '[OPTIONS]',
  short: 'List services',
  args: { max: 0 },
  flags: LS_FLAGS,
  async run(ctx, { flags }) {
    // status: true makes the daemon fill ServiceStatus, the source of REPLICAS.
    const services = await ctx.api.serviceList({ filters: toFilters(flags.list('filter')), status: true });
    services.sort((a, b) => naturalCompare(a.Spec.Name, b.Spec.Name));
    const rows = services.map(serviceListContext);
    const format = flags.string('format');
    const quiet = flags.bool('quiet');
    if (format !== '' && format !== 'table') {
      ctx.stdout.write(renderListFormat(format, rows, quiet ? 'id: {{.ID}}' : RAW_FORMAT, COLUMNS));
      return 0;
    }
    if (quiet) {
      ctx.stdout.write(rows.map((r) => `${r['ID']}\n`).join(''));
      return 0;
    }
    ctx.stdout.write(renderTable([COLUMNS.map(([, h]) => h), ...rows.map((r) => COLUMNS.map(([k]) => r[k] ?? ''))]));
    return 0;
  },
};

const RAW_FORMAT = 'id: {{.ID}}\nname: {{.Name}}\nmode: {{.Mode}}\nreplicas: {{.Replicas}}\nimage: {{.Image}}\nports: {{.Ports}}\n';
