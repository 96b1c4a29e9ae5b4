// Help output as docker 28.2.2 renders it: docker/cli's usage template over cobra, with
// pflag's FlagUsagesWrapped for the Options table. Generated from the CommandDefs.
import type { CommandDef, FlagDef } from './command.js';
import { goQuote } from './format/go-parse.js';

/** Type word pflag prints after the flag name (UnquoteUsage); bools print none. */
function valueName(def: FlagDef): string {
  if (def.valueName !== undefined) return def.valueName;
  switch (def.kind) {
    case 'bool':
      return '';
    case 'uint-ptr':
      return 'uint';
    default:
      return def.kind;
  }
}

/** pflag wrapN: split `s` at the last whitespace within `i` chars, unless it fits within i+slop. */
function wrapN(i: number, slop: number, s: string): [string, string] {
  if (i + slop > s.length) return [s, ''];
  const head = s.slice(0, i);
  const w = Math.max(head.lastIndexOf(' '), head.lastIndexOf('\t'), head.lastIndexOf('\n'));
  if (w <= 0) return [s, ''];
  const nl = head.lastIndexOf('\n');
  if (nl > 0 && nl < w) return [s.slice(0, nl), s.slice(nl + 1)];
  return [s.slice(0, w), s.slice(w + 1)];
}

/** pflag wrap: wraps `s` to width `w` with hanging indent `i` (first line not indented). */
function wrap(i: number, w: number, s: string): string {
  if (w === 0) return s.replaceAll('\n', '\n' + ' '.repeat(i));
  let width = w - i;
  let r = '';
  if (width < 24) {
    i = 16;
    width = w - i;
    r += '\n' + ' '.repeat(i);
  }
  if (width < 24) return s.replaceAll('\n', r);
  const slop = 5;
  width -= slop;
  const indent = '\n' + ' '.repeat(i);
  let [line, rest] = wrapN(width, slop, s);
  r += line.replaceAll('\n', indent);
  while (rest !== '') {
    [line, rest] = wrapN(width, slop, rest);
    r += indent + line.replaceAll('\n', indent);
  }
  return r;
}

/** pflag FlagSet.FlagUsagesWrapped(cols): flags sorted by name, hidden ones left out. */
export function flagUsagesWrapped(defs: readonly FlagDef[], cols: number): string {
  const visible = defs.filter((d) => !d.hidden).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const lines: [string, string][] = [];
  let maxlen = 0;
  for (const def of visible) {
    let head = def.short ? `  -${def.short}, --${def.name}` : `      --${def.name}`;
    const vn = valueName(def);
    if (vn !== '') head += ' ' + vn;
    // pflag measures the line with its \x00 alignment marker, hence the +1.
    maxlen = Math.max(maxlen, head.length + 1);
    let usage = def.usage;
    if (def.defaultText !== undefined) usage += ` (default ${def.defaultText})`;
    lines.push([head, usage]);
  }
  let out = '';
  for (const [head, usage] of lines) {
    // Go: Fprintln(head, spacing, wrapped) — Println puts a space between operands.
    out += `${head} ${' '.repeat(maxlen - head.length)} ${wrap(maxlen + 2, cols, usage)}\n`;
  }
  return out;
}

/** Quoted default text for a string flag, as pflag prints `(default "x")`. */
export const quotedDefault = (s: string): string => goQuote(s);

const trimRight = (s: string) => s.replace(/\s+$/, '');

/** cobra's UseLine: the command path followed by its usage words. */
export function useLine(cmd: CommandDef, path: string): string {
  return cmd.usage ? `${path} ${cmd.usage}` : path;
}

const visibleSubcommands = (cmd: CommandDef) =>
  (cmd.subcommands ?? []).filter((c) => !c.hidden).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

/** cobra NamePadding: at least 11, or the longest sibling name. */
function namePadding(cmds: readonly { name: string }[]): number {
  return Math.max(11, ...cmds.map((c) => c.name.length));
}

export interface HelpListing {
  title: string;
  commands: { name: string; short: string }[];
}

/** Lists as docker prints them: "  <name padded> <short>". */
function renderListing(section: HelpListing, padding: number): string {
  let out = `\n\n${section.title}:`;
  for (const c of section.commands) out += `\n  ${c.name.padEnd(padding)} ${c.short}`;
  return out;
}

/** Help for any command except the root: `docker node --help`, `docker node ls --help`. */
export function renderHelp(cmd: CommandDef, path: string, columns: number): string {
  const subs = visibleSubcommands(cmd);
  const flags = (cmd.flags ?? []).filter((f) => !f.hidden);
  let out = 'Usage:';
  if (subs.length > 0) out += `  ${path}${flags.length > 0 ? ' [OPTIONS]' : ''} COMMAND`;
  else out += `  ${useLine(cmd, path)}`;
  out += `\n\n${(cmd.long ?? cmd.short).trim()}`;
  if (cmd.aliasesText !== undefined || (cmd.aliases?.length ?? 0) > 0) {
    const parent = path.slice(0, path.length - cmd.name.length).trimEnd();
    const text = cmd.aliasesText ?? [path, ...(cmd.aliases ?? []).map((a) => `${parent} ${a}`)].join(', ');
    out += `\n\nAliases:\n  ${text}`;
  }
  if (flags.length > 0) out += `\n\nOptions:\n${trimRight(flagUsagesWrapped(flags, helpWidth(columns)))}`;
  if (subs.length > 0) {
    out += renderListing({ title: 'Commands', commands: subs }, namePadding(subs));
    out += `\n\nRun '${path} COMMAND --help' for more information on a command.`;
  }
  return out + '\n';
}

/** The root `docker --help`: the real top-level listing plus the global options. */
export function renderRootHelp(
  root: CommandDef,
  sections: readonly HelpListing[],
  columns: number,
): string {
  let out = `Usage:  docker [OPTIONS] COMMAND\n\n${root.short}`;
  for (const section of sections) {
    // Management sections use decoratedName padded to NamePadding+1; plain lists pad to NamePadding then a space: same width.
    out += renderListing(section, namePadding(section.commands));
  }
  out += `\n\nGlobal Options:\n${trimRight(flagUsagesWrapped(root.flags ?? [], helpWidth(columns)))}`;
  out += `\n\nRun 'docker COMMAND --help' for more information on a command.`;
  out += `\n\nFor more help on how to use Docker, head to https://docs.docker.com/go/guides/\n`;
  return out;
}

/** docker wraps flag usages at the terminal width minus one (80 when unknown). */
function helpWidth(columns: number): number {
  return (columns > 0 ? columns : 80) - 1;
}
