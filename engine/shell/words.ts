// Splits a command line into words the way a POSIX shell does for the simple commands
// a tutorial uses: single quotes keep everything literally, double quotes keep spaces
// and honour \" \\ \$ \` escapes, a backslash outside quotes escapes the next character,
// backslash-newline joins lines, and an unquoted # starts a comment. Operators
// (| ; & < > and friends) are reported so the shell can say it does not run them.

export type SplitResult =
  | { kind: 'words'; words: string[] }
  /** The line ends inside quotes or after a backslash: the shell asks for more input. */
  | { kind: 'incomplete' }
  | { kind: 'operator'; operator: string };

const OPERATOR_CHARS = new Set(['|', ';', '&', '<', '>', '(', ')', '`']);

/**
 * `status`, when given, is what `$?` expands to (unquoted or in double quotes): the shell's last
 * exit code, the one variable this shell has (a learner checks what curl returned).
 */
export function splitWords(line: string, status?: number): SplitResult {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  const n = line.length;
  while (i < n) {
    const c = line[i]!;
    if (c === '\\') {
      if (i + 1 >= n) return { kind: 'incomplete' };
      const next = line[i + 1]!;
      i += 2;
      if (next === '\n') continue; // line continuation
      word += next;
      inWord = true;
      continue;
    }
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) return { kind: 'incomplete' };
      word += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
      continue;
    }
    if (c === '"') {
      i++;
      let closed = false;
      while (i < n) {
        const d = line[i]!;
        if (d === '"') {
          closed = true;
          i++;
          break;
        }
        if (d === '\\' && i + 1 < n) {
          const e = line[i + 1]!;
          if (e === '\n') {
            i += 2;
            continue;
          }
          if (e === '"' || e === '\\' || e === '$' || e === '`') {
            word += e;
            i += 2;
            continue;
          }
        }
        if (d === '$' && line[i + 1] === '?' && status !== undefined) {
          word += String(status);
          i += 2;
          continue;
        }
        word += d;
        i++;
      }
      if (!closed) return { kind: 'incomplete' };
      inWord = true;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
      continue;
    }
    if (c === '#' && !inWord) break;
    if (c === '$' && line[i + 1] === '?' && status !== undefined) {
      word += String(status);
      inWord = true;
      i += 2;
      continue;
    }
    if (OPERATOR_CHARS.has(c)) {
      const two = line.slice(i, i + 2);
      return { kind: 'operator', operator: ['&&', '||', '>>', '<<', ';;'].includes(two) ? two : c };
    }
    word += c;
    inWord = true;
    i++;
  }
  if (inWord) words.push(word);
  return { kind: 'words', words };
}

/**
 * Splits a script into logical lines: backslash-newline continues a line, and a line
 * whose quotes are still open continues too. Returns the logical lines with their
 * continuation kept (so they can be echoed as typed).
 */
export function logicalLines(script: string): string[] {
  const raw = script.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  let buf: string | undefined;
  for (const line of raw) {
    buf = buf === undefined ? line : `${buf}\n${line}`;
    if (splitWords(buf).kind === 'incomplete') continue;
    out.push(buf);
    buf = undefined;
  }
  if (buf !== undefined) out.push(buf);
  return out;
}
