// docker version: the client block (docker 28.2.2) and the server's engine and components.
import { DaemonUnreachableError } from '../../../api/swarm-api.js';
import type { VersionInfo } from '../../../api/types.js';
import type { CommandDef } from '../../command.js';
import { CliError } from '../../command.js';
import { tabwrite } from '../../format/tabwriter.js';
import { runFormat } from '../../format/templates.js';
import { FORMAT_INSPECT_USAGE } from '../../format/usage-texts.js';
import * as client from '../../version-info.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Go's time.ANSIC ("Mon Jan _2 15:04:05 2006") of an RFC3339 build time; other text unchanged. */
export function ansicDate(s: string): string {
  const ms = Date.parse(s);
  if (Number.isNaN(ms) || !/^\d{4}-\d\d-\d\dT/.test(s)) return s;
  const d = new Date(ms);
  const hms = d.toISOString().slice(11, 19);
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${hms} ${d.getUTCFullYear()}`;
}

/** The API version the client settles on: its own 1.50 unless the daemon is older. */
function negotiated(server: VersionInfo): string {
  const [sMaj = 0, sMin = 0] = server.ApiVersion.split('.').map(Number);
  const [cMaj = 0, cMin = 0] = client.CLIENT_API_VERSION.split('.').map(Number);
  return sMaj < cMaj || (sMaj === cMaj && sMin < cMin) ? server.ApiVersion : client.CLIENT_API_VERSION;
}

/** Without a server (its daemon cannot be reached) only the client block is printed. */
export function renderVersion(server: VersionInfo | undefined): string {
  const api = server ? negotiated(server) : client.CLIENT_API_VERSION;
  const apiText = api === client.CLIENT_API_VERSION ? api : `${api} (downgraded from ${client.CLIENT_API_VERSION})`;
  const clientLines = [
    'Client:',
    ` Version:           ${client.CLIENT_VERSION}`,
    ` API version:       ${apiText}`,
    ` Go version:        ${client.CLIENT_GO_VERSION}`,
    ` Git commit:        ${client.CLIENT_GIT_COMMIT}`,
    ` Built:             ${client.CLIENT_BUILT}`,
    ` OS/Arch:           ${client.CLIENT_OS_ARCH}`,
    ` Context:           default`,
  ];
  if (!server) return clientLines.join('\n') + '\n';
  const lines = [
    ...clientLines,
    '',
    'Server:',
    ' Engine:',
    `  Version:          ${server.Version}`,
    `  API version:      ${server.ApiVersion} (minimum version ${server.MinAPIVersion})`,
    `  Go version:       ${server.GoVersion}`,
    `  Git commit:       ${server.GitCommit}`,
    `  Built:            ${ansicDate(server.BuildTime)}`,
    `  OS/Arch:          ${server.Os}/${server.Arch}`,
    `  Experimental:     ${server.Experimental ?? false}`,
  ];
  for (const c of server.Components ?? []) {
    if (c.Name === 'Engine') continue;
    lines.push(` ${c.Name}:`);
    lines.push(`  Version:          ${c.Version}`);
    for (const [k, v] of Object.entries(c.Details ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
      lines.push(`  ${`${k}:`.padEnd(18)}${v}`);
    }
  }
  return lines.join('\n') + '\n';
}

export const versionCommand: CommandDef = {
  name: 'version',
  usage: '[OPTIONS]',
  short: 'Show the Docker version information',
  args: { max: 0 },
  flags: [{ name: 'format', short: 'f', kind: 'string', usage: FORMAT_INSPECT_USAGE }],
  async run(ctx, inv) {
    const format = inv.flags.string('format');
    let server: VersionInfo;
    try {
      server = await ctx.api.version();
    } catch (e) {
      // No daemon to ask: the client's part is printed all the same, then the error.
      if (format === '' && e instanceof DaemonUnreachableError) ctx.stdout.write(renderVersion(undefined));
      throw e;
    }
    if (format === '') {
      ctx.stdout.write(renderVersion(server));
      return 0;
    }
    const data = {
      Client: { Platform: { Name: '' }, ...client.CLIENT_DETAILS, ApiVersion: negotiated(server) },
      Server: { Platform: { Name: '' }, ...server },
    };
    // prettyPrintVersion: the template writes through a tabwriter (minwidth 20, padding 1), then
    // a newline; what an execution error cut short is still written.
    const out = runFormat(format === 'json' ? '{{json .}}' : format, data, { name: 'version', rootType: 'system.versionInfo' });
    ctx.stdout.write(tabwrite(out.text + '\n', { minwidth: 20, padding: 1 }));
    if (out.error) throw new CliError(out.error);
    return 0;
  },
};
