// The command a ```sh block holds, read from expressive-code's markup. Its copy button
// carries the exact code in `data-code` (line breaks written as U+007F); the rendered lines
// are the fallback.

export function commandText(figure: Element): string {
  const code = figure.querySelector<HTMLElement>('[data-code]')?.dataset.code;
  if (code !== undefined) return code.replace(/\u007f/g, '\n').trimEnd();
  const lines = Array.from(figure.querySelectorAll('.ec-line'), (l) => l.textContent ?? '');
  if (lines.length > 0) return lines.join('\n').trimEnd();
  return (figure.querySelector('pre')?.textContent ?? '').trimEnd();
}

/** The command blocks of a lesson: ```sh only; ```text blocks are output and never run. */
export function commandBlocks(root: ParentNode): Element[] {
  return Array.from(root.querySelectorAll('.expressive-code pre[data-language="sh"]'), (pre) => pre.closest('figure') ?? pre);
}
