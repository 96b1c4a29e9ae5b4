// docker network ls: the networks of the daemon the shell talks to, sorted by name (natural
// order), in docker/cli's network formatter (table, raw, json, templates).
import type { Network } from '../../../api/types.js';
import type { CommandDef } from '../../command.js';
import { toFilters } from '../../format/filters.js';
import { renderList } from '../../format/list-format.js';
import { naturalCompare } from '../../format/natural-sort.js';
import { goTimeString } from '../../format/time.js';
import { FORMAT_TABLE_USAGE } from '../../format/usage-texts.js';

const DEFAULT_TABLE = 'table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}';

// docker/cli network/formatter.go's raw forms.
const RAW = {
  full: 'network_id: {{.ID}}\nname: {{.Name}}\ndriver: {{.Driver}}\nscope: {{.Scope}}\n',
  quiet: 'network_id: {{.ID}}',
};

const HEADERS = {
  ID: 'NETWORK ID',
  Name: 'NAME',
  Driver: 'DRIVER',
  Scope: 'SCOPE',
  IPv4: 'IPV4',
  IPv6: 'IPV6',
  Internal: 'INTERNAL',
  Labels: 'LABELS',
  CreatedAt: 'CREATED AT',
};

/** One row of the formatter: the networkContext's methods, as the template sees them. */
export function networkRow(n: Network, trunc: boolean) {
  return {
    ID: trunc ? n.Id.slice(0, 12) : n.Id,
    Name: n.Name,
    Driver: n.Driver,
    Scope: n.Scope,
    // The CLI decodes into network.Inspect: a daemon that sends no EnableIPv4 reads as false.
    IPv4: String((n as { EnableIPv4?: boolean }).EnableIPv4 === true),
    IPv6: String(n.EnableIPv6),
    Internal: String(n.Internal),
    Labels: Object.entries(n.Labels ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(','),
    CreatedAt: goTimeString(n.Created),
  };
}

export const networkLsCommand: CommandDef = {
  name: 'ls',
  aliases: ['list'],
  usage: '[OPTIONS]',
  short: 'List networks',
  args: { max: 0 },
  flags: [
    { name: 'filter', short: 'f', kind: 'filter', usage: 'Provide filter values (e.g. "driver=bridge")' },
    { name: 'format', kind: 'string', usage: FORMAT_TABLE_USAGE },
    { name: 'no-trunc', kind: 'bool', usage: 'Do not truncate the output' },
    { name: 'quiet', short: 'q', kind: 'bool', usage: 'Only display network IDs' },
  ],
  async run(ctx, inv) {
    const networks = await ctx.api.networkList(toFilters(inv.flags.list('filter')));
    const sorted = [...networks].sort((a, b) => naturalCompare(a.Name, b.Name));
    ctx.stdout.write(
      renderList({
        format: inv.flags.string('format'),
        quiet: inv.flags.bool('quiet'),
        defaultTable: DEFAULT_TABLE,
        raw: RAW,
        rows: sorted.map((n) => networkRow(n, !inv.flags.bool('no-trunc'))),
        headers: HEADERS,
        typeName: '*network.networkContext',
      }),
    );
    return 0;
  },
};
