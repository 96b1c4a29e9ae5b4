// `$NAME` placeholders in lesson commands (content/lessons/types.ts). Its own module, with no
// import of the lessons: the lesson page's eager script expands a Run button's command with it,
// and importing it from run.ts would bring every lesson's metadata and checks into that script.

/** Replaces `$NAME` (letters, digits, underscores) with vars[NAME]; unknown names stay as typed. */
export function expandVars(line: string, vars: Record<string, string>): string {
  return line.replace(/\$([A-Z_][A-Z0-9_]*)/g, (whole, name: string) => vars[name] ?? whole);
}
