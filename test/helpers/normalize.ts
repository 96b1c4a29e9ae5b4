// Normalising a real capture and a simulated run of the same walkthrough so they can be
// compared line for line. Only what legitimately differs between two swarms is masked:
// object IDs, ages, addresses and per-cluster secrets, the engine version (the capture's
// daemon is 20.10), which node got which slot (random on both), and — because the capture
// machine had no registry — the registry warning and image digests. Column padding is
// compared as "two or more spaces" since masked cells change widths; the table layout
// itself is covered by the formatter's own tests.

const WARNING = /image \S+ could not be accessed on a registry to record\nits digest\. Each node will access \S+ independently,\npossibly leading to different nodes running different\nversions of the image\.\n\n/g;

const AGE =
  /\b(?:[Ll]ess than a second|[Aa]bout a minute|[Aa]bout an hour|\d+ (?:seconds?|minutes?|hours?|days?|weeks?|months?|years?))\b/g;

export interface Normaliser {
  /** Normalises one command's rendered output. */
  (command: string, screen: string): string;
}

/** One normaliser per walkthrough: it keeps the ID mapping across that walkthrough's commands. */
export function normaliser(): Normaliser {
  const ids = new Map<string, string>(); // 12-char prefix -> placeholder
  const idFor = (token: string): string => {
    const key = token.slice(0, 12);
    let p = ids.get(key);
    if (!p) ids.set(key, (p = `ID${ids.size + 1}`));
    return token.length === 25 ? `<${p}>` : `<${p}:12>`;
  };
  return (command, screen) => {
    let text = screen.replace(WARNING, '').replace(/@sha256:[0-9a-f]{64}/g, '');
    // Certificates and keys differ per cluster.
    text = text.replace(/-----BEGIN CERTIFICATE-----\n[\s\S]*?-----END CERTIFICATE-----/g, '<cert>');
    text = text.replace(/(Issuer Public Key:\s*)\S+/g, '$1<key>');
    text = text.replace(/(Joined at:\s*).*/g, '$1<time>');
    text = text.replace(/(Memory:\s*).*/g, '$1<mem>');
    text = text.replace(/( Log:\s*).*/g, '$1<plugins>');
    text = text.replace(/\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b/g, '<ip>');
    text = text.replace(/\b20\.10\.24\+dfsg1\b|\b28\.2\.2\b/g, '<engine>');
    // IDs keep their identity across commands (the service ID in create, verify and inspect;
    // the paused task in the update and in inspect), numbered by first appearance outside
    // task tables: a table's row order depends on which slot the scheduler picked.
    const table = /^docker (service|node) ps\b/.test(command);
    const mark = (tok: string): string => (table ? '<id>' : idFor(tok));
    text = text.replace(/\b[0-9a-z]{25}\b/g, (m) => mark(m));
    text = text.replace(/(^|\s)([0-9a-z]{12})(?=\s|$)/gm, (all, pre: string, tok: string) =>
      /\d/.test(tok) || ids.has(tok) ? pre + mark(tok) : all,
    );
    text = text.replace(AGE, '<age>');
    if (/^docker (service|node) ps\b/.test(command)) text = canonicalTaskTable(text);
    return text
      .split('\n')
      .map((l) => l.replace(/\t/g, '  ').replace(/ {2,}/g, '  ').trimEnd())
      .join('\n');
  };
}

/**
 * A `service ps` table in a form that does not depend on the scheduler's random choices:
 * which slot an update took first and which node got which slot differ between any two
 * runs, real or simulated. Rows are grouped by slot; each group keeps its rows in order
 * with slot numbers and task IDs masked, and nodes named by their order of appearance
 * within the group (so "moved to another node" still shows); groups are then sorted.
 */
export function canonicalTaskTable(text: string): string {
  const lines = text.split('\n');
  const header = lines[0] ?? '';
  const groups: string[][] = [];
  for (const line of lines.slice(1)) {
    if (line.trim() === '') continue;
    const cells = line.trim().split(/ {2,}/);
    const history = cells[1]?.startsWith('\\_ ') ?? false;
    if (!history || groups.length === 0) groups.push([]);
    groups[groups.length - 1]!.push(line);
  }
  const canon = groups.map((rows) => {
    const nodes = new Map<string, string>();
    return rows
      .map((line) => {
        const cells = line.trim().split(/ {2,}/);
        cells[0] = '<id>';
        cells[1] = cells[1]!.replace(/\.(\d+|[0-9a-z]{25})$/, '.<slot>');
        cells[3] = cells[3]!.replace(/^(manager\d+|worker\d+)$/, (n) => {
          let p = nodes.get(n);
          if (!p) nodes.set(n, (p = `<node${nodes.size + 1}>`));
          return p;
        });
        return cells.join('  ');
      })
      .join('\n');
  });
  return [header, ...canon.sort()].join('\n') + '\n';
}
