// `--format` for list commands (docker/cli formatter.Context): "json", "table TEMPLATE",
// "raw" or a bare Go template executed once per row. Rows are the string fields a
// formatter context exposes ({{.ID}}, {{.Name}}, ...).
import { CliError } from '../../command.js';
import { parseTemplate, TemplateError } from '../../format/go-template.js';
import { renderTable } from '../../format/table.js';

/** Go marshals the context as a map: keys come out sorted. */
function sortedKeys(row: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(row).sort()) out[k] = row[k] ?? '';
  return out;
}

export function renderListFormat(
  format: string,
  rows: Record<string, string>[],
  rawFormat: string,
  columns: [field: string, header: string][],
): string {
  let source = format;
  if (format === 'json') source = '{{json .}}';
  else if (format === 'raw') source = rawFormat;
  try {
    if (source.startsWith('table')) {
      const body = source.slice('table'.length).trim();
      const tmpl = parseTemplate(body);
      const header = tmpl.execute(Object.fromEntries(columns.map(([f, h]) => [f, h])));
      const lines = [header, ...rows.map((r) => tmpl.execute(r))];
      return renderTable(lines.map((l) => l.split('\t')));
    }
    const tmpl = parseTemplate(source);
    return rows.map((r) => tmpl.execute(format === 'json' ? sortedKeys(r) : r) + '\n').join('');
  } catch (e) {
    if (e instanceof TemplateError) throw new CliError(`template parsing error: ${e.message}`);
    throw e;
  }
}
