// Reads a table the docker CLI printed (tabwriter columns) back into cells, by the offsets of
// its header's titles. Unit tests and e2e tests use it to compare the swarm view with what
// `docker service ps`, `service ls` and `node ls` print. ASCII cells only (the tables here are).

export type Row = Record<string, string>;

/** The rows under the first line that starts with `headers[0]`; each row's cells keyed by header. */
export function parseCliTable(text: string, headers: readonly string[]): Row[] {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.startsWith(headers[0]!) && headers.every((h) => l.includes(h)));
  if (at < 0) throw new Error(`no table with ${headers.join(', ')} in:\n${text}`);
  const header = lines[at]!;
  const offsets: number[] = [];
  let from = 0;
  for (const h of headers) {
    // A title at a column's start: the line's start or after the padding (at least 2 spaces).
    const re = new RegExp(`(^|  )${h.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=  |$)`, 'g');
    re.lastIndex = from;
    const m = re.exec(header);
    if (!m) throw new Error(`no column ${h} in ${JSON.stringify(header)}`);
    const offset = m.index + m[1]!.length;
    offsets.push(offset);
    from = offset + h.length;
  }
  const rows: Row[] = [];
  for (const line of lines.slice(at + 1)) {
    if (line.trim() === '') break;
    const row: Row = {};
    headers.forEach((h, i) => {
      row[h] = line.slice(offsets[i], i + 1 < offsets.length ? offsets[i + 1] : undefined).trim();
    });
    rows.push(row);
  }
  return rows;
}

/** `docker service ps` rows as the view compares them: name (with ` \_ ` history), image, node, desired and current state words. */
export interface PsRow {
  name: string;
  history: boolean;
  image: string;
  node: string;
  desired: string;
  state: string;
  error: string;
}

export function parseServicePs(text: string): PsRow[] {
  return parseCliTable(text, ['ID', 'NAME', 'IMAGE', 'NODE', 'DESIRED STATE', 'CURRENT STATE', 'ERROR', 'PORTS']).map((r) => {
    const name = r['NAME']!;
    const history = name.startsWith('\\_ ');
    return {
      name: history ? name.slice(3) : name,
      history,
      image: r['IMAGE']!,
      node: r['NODE']!,
      desired: r['DESIRED STATE']!.toLowerCase(),
      // "Running 5 seconds ago": the state is the first word.
      state: (r['CURRENT STATE']!.split(' ')[0] ?? '').toLowerCase(),
      error: r['ERROR']!,
    };
  });
}
