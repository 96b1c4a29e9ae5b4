// docker's formatter.Context for ls/ps commands: `--format` may be empty (the command's
// default table), "table", "table TEMPLATE", "json", "raw" (where the command has one) or a
// bare Go template. Table output goes through the tabwriter rule; the header row runs the
// template over the header names.
import { CliError } from '../command.js';
import { asFormatterContext, goJsonCompact } from './json.js';
import { parseTemplate, TemplateError } from './templates.js';
import { renderTable } from './table.js';
import { tabwrite } from './tabwriter.js';

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
  /** -q: the default table becomes `{{.ID}}` and `raw` its quiet form; other formats win over -q. */
  quiet?: boolean;
  /** The command's `raw` templates (docker/cli's newXFormat), for commands that have one. */
  raw?: { full: string; quiet: string };
}

/**
 * The template a command's newXFormat picks (Go's `switch source`): an empty --format is the
 * table (docker's DefaultFormat without a config file), and -q only changes 'table' and 'raw'.
 */
export function resolveListFormat(spec: Pick<ListFormat<unknown>, 'format' | 'defaultTable' | 'quiet' | 'raw'>): string {
  const source = spec.format === '' ? 'table' : spec.format;
  if (source === 'table') return spec.quiet ? '{{.ID}}' : spec.defaultTable;
  if (source === 'raw' && spec.raw) return spec.quiet ? spec.raw.quiet : spec.raw.full;
  return source;
}

/** Format.IsTable: only table formats get the header row and column alignment. */
export const isTableFormat = (format: string): boolean => format.startsWith('table');

/** Sorted-key copy: Go marshals the `json` format's map with keys in order. */
const sortedKeys = (row: object): Record<string, unknown> =>
  Object.fromEntries(Object.entries(row).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** Renders rows per docker's formatter rules; template problems become exit-1 CliErrors. */
/** `{{.A}}\t{{.B}}` → ['A', 'B']; undefined for anything richer. */
function simpleFields(format: string): string[] | undefined {
  const parts = format.split('\t');
  const fields = parts.map((p) => /^\{\{\s*\.(\w+)\s*\}\}$/.exec(p)?.[1]);
  return fields.every((f): f is string => f !== undefined) ? fields : undefined;
}

export function renderList<Row extends object>(spec: ListFormat<Row>): string {
  let format = resolveListFormat(spec);
  if (format === 'json') return spec.rows.map((r) => goJsonCompact(asFormatterContext(sortedKeys(r))) + '\n').join('');
  const table = isTableFormat(format);
  if (table) format = format.slice('table'.length);
  // Context.preFormat: spaces trimmed (only spaces), then the two-character sequences \t and \n
  // become real ones, in every format.
  format = format.replace(/^ +| +$/g, '').replaceAll('\\t', '\t').replaceAll('\\n', '\n');
  if (table) {
    // The common case (every default table): tab-separated plain fields. Reading them
    // directly prints exactly what the template would, without running it per row.
    const fields = simpleFields(format);
    const cells = fields && [spec.headers, ...spec.rows].map((r) => fields.map((f) => (r as Record<string, unknown>)[f]));
    if (cells && cells.every((row) => row.every((v) => typeof v === 'string'))) return renderTable(cells as string[][]);
  }
  try {
    const tmpl = parseTemplate(format, { rootType: spec.typeName ?? 'struct' });
    const rows = spec.rows.map((r) => tmpl.execute(asFormatterContext(r)));
    if (!table) return rows.map((l) => l + '\n').join('');
    // Context.postFormat: the header row runs after the rows, on the header map with docker's
    // header functions (its errors only cut it short), and header and rows, each ended by a
    // newline, go through tabwriter (10, 1, 3, ' ', 0) together: a template that prints its own
    // newlines or a varying number of tabs is aligned by column blocks, as Go does.
    const text = [tmpl.executeHeader(spec.headers), ...rows].map((l) => l + '\n').join('');
    return tabwrite(text, { minwidth: 10, padding: 3 });
  } catch (e) {
    if (e instanceof TemplateError) throw new CliError(`template parsing error: ${e.message}`);
    throw e;
  }
}
