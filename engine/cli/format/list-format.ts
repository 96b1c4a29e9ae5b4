// docker's formatter.Context for ls/ps commands: `--format` may be empty (the command's
// default table), "table TEMPLATE", "json", or a bare Go template. Table output goes
// through the tabwriter rule; the header row runs the template over the header names.
import { CliError } from '../command.js';
import { goJsonCompact } from './json.js';
import { parseTemplate, TemplateError } from './go-template.js';
import { renderTable } from './table.js';

export interface ListFormat<Row> {
  /** The user's --format value ('' when not given). */
  format: string;
  /** Used when format is '' or 'table'. */
  defaultTable: string;
  rows: readonly Row[];
  /** Header text for each field, e.g. { ID: 'ID', Hostname: 'HOSTNAME' }. */
  headers: Record<string, string>;
  /** Go type name for template errors, e.g. "formatter.nodeContext". */
  typeName?: string;
}

/** Sorted-key copy: Go marshals the `json` format's map with keys in order. */
const sortedKeys = (row: object): Record<string, unknown> =>
  Object.fromEntries(Object.entries(row).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** Renders rows per docker's formatter rules; template problems become exit-1 CliErrors. */
export function renderList<Row extends object>(spec: ListFormat<Row>): string {
  let format = spec.format === '' || spec.format === 'table' ? spec.defaultTable : spec.format;
  if (format === 'json') return spec.rows.map((r) => goJsonCompact(sortedKeys(r)) + '\n').join('');
  const table = format.startsWith('table');
  if (table) format = format.slice('table'.length).trim();
  // docker replaces the two-character sequences \t and \n with real ones.
  format = format.replaceAll('\\t', '\t').replaceAll('\\n', '\n');
  try {
    const tmpl = parseTemplate(format, { rootType: spec.typeName ?? 'struct' });
    if (!table) return spec.rows.map((r) => tmpl.execute(r) + '\n').join('');
    const lines = [tmpl.execute(spec.headers), ...spec.rows.map((r) => tmpl.execute(r))];
    return renderTable(lines.map((l) => l.split('\t')));
  } catch (e) {
    if (e instanceof TemplateError) throw new CliError(`template parsing error: ${e.message}`);
    throw e;
  }
}
