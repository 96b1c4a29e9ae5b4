// docker service ls
import type { CommandDef } from '../../command.js';
import { toFilters } from '../../format/filters.js';
import { renderList } from '../../format/list-format.js';
import { naturalCompare } from '../../format/natural-sort.js';
import { LS_FLAGS } from './flag-defs.js';
import { serviceListContext } from '../../format/service-row.js';

// docker/cli service/formatter.go: the default table, the raw forms and the header names.
const DEFAULT_TABLE = 'table {{.ID}}\t{{.Name}}\t{{.Mode}}\t{{.Replicas}}\t{{.Image}}\t{{.Ports}}';
const RAW = {
  full: 'id: {{.ID}}\nname: {{.Name}}\nmode: {{.Mode}}\nreplicas: {{.Replicas}}\nimage: {{.Image}}\nports: {{.Ports}}\n',
  quiet: 'id: {{.ID}}',
};
const HEADERS = { ID: 'ID', Name: 'NAME', Mode: 'MODE', Replicas: 'REPLICAS', Image: 'IMAGE', Ports: 'PORTS' };

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
    ctx.stdout.write(
      renderList({
        format: flags.string('format'),
        quiet: flags.bool('quiet'),
        defaultTable: DEFAULT_TABLE,
        raw: RAW,
        rows: services.map(serviceListContext),
        headers: HEADERS,
        typeName: '*service.serviceContext',
      }),
    );
    return 0;
  },
};
