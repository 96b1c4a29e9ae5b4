// docker node ls: every node, the connected one marked `*`, sorted by hostname.
import type { CommandDef } from '../../command.js';
import { toFilters } from '../../format/filters.js';
import { renderList } from '../../format/list-format.js';
import { naturalCompare } from '../../format/natural-sort.js';
import { managerStatus } from '../../format/node-fields.js';
import { capitalizeFirst } from '../../format/time.js';
import { FORMAT_TABLE_USAGE } from '../../format/usage-texts.js';

const DEFAULT_TABLE =
  'table {{.ID}} {{if .Self}}*{{else}} {{ end }}\t{{.Hostname}}\t{{.Status}}\t{{.Availability}}\t{{.ManagerStatus}}\t{{.EngineVersion}}';

// docker/cli node/formatter.go's raw forms.
const RAW = {
  full: 'node_id: {{.ID}}\nhostname: {{.Hostname}}\nstatus: {{.Status}}\navailability: {{.Availability}}\nmanager_status: {{.ManagerStatus}}\n',
  quiet: 'node_id: {{.ID}}',
};

const HEADERS = {
  ID: 'ID',
  Self: '',
  Hostname: 'HOSTNAME',
  Status: 'STATUS',
  Availability: 'AVAILABILITY',
  ManagerStatus: 'MANAGER STATUS',
  EngineVersion: 'ENGINE VERSION',
  TLSStatus: 'TLS STATUS',
};

export const nodeLsCommand: CommandDef = {
  name: 'ls',
  aliases: ['list'],
  usage: '[OPTIONS]',
  short: 'List nodes in the swarm',
  args: { max: 0 },
  flags: [
    { name: 'filter', short: 'f', kind: 'filter', usage: 'Filter output based on conditions provided' },
    { name: 'format', kind: 'string', usage: FORMAT_TABLE_USAGE },
    { name: 'quiet', short: 'q', kind: 'bool', usage: 'Only display IDs' },
  ],
  async run(ctx, inv) {
    const nodes = await ctx.api.nodeList(toFilters(inv.flags.list('filter')));
    const self = (await ctx.api.info()).Swarm.NodeID;
    const sorted = [...nodes].sort((a, b) => naturalCompare(a.Description.Hostname, b.Description.Hostname));
    const rows = sorted.map((n) => ({
      ID: n.ID,
      Self: n.ID === self,
      Hostname: n.Description.Hostname,
      Status: capitalizeFirst(n.Status.State),
      Availability: capitalizeFirst(n.Spec.Availability),
      ManagerStatus: managerStatus(n),
      EngineVersion: n.Description.Engine.EngineVersion,
      TLSStatus: 'Ready',
    }));
    ctx.stdout.write(
      renderList({
        format: inv.flags.string('format'),
        quiet: inv.flags.bool('quiet'),
        defaultTable: DEFAULT_TABLE,
        raw: RAW,
        rows,
        headers: HEADERS,
        typeName: '*node.nodeContext',
      }),
    );
    return 0;
  },
};
