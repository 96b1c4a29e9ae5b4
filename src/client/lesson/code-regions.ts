// Names for the lesson's code blocks when expressive-code makes them scrollable regions.
// Its script gives a <pre> that overflows `tabindex="0" role="region"` (so the keyboard can
// scroll it) but no name, and a page of unnamed regions fails axe's landmark-unique rule.
// A name on a <pre> without that role would be a prohibited ARIA attribute, so the name
// follows the role: "Command 2", "Output 3", numbered per kind in page order.

export interface CodeRegionStrings {
  /** With {n}: "Command {n}". */
  command: string;
  output: string;
}

function label(pres: HTMLElement[], strings: CodeRegionStrings): void {
  let commands = 0;
  let outputs = 0;
  for (const pre of pres) {
    const isCommand = pre.dataset.language === 'sh';
    const n = isCommand ? ++commands : ++outputs;
    const name = (isCommand ? strings.command : strings.output).replace('{n}', String(n));
    if (pre.getAttribute('role') === 'region') {
      if (pre.getAttribute('aria-label') !== name) pre.setAttribute('aria-label', name);
    } else if (pre.hasAttribute('aria-label')) pre.removeAttribute('aria-label');
  }
}

/**
 * Keeps the names in step with expressive-code's role changes until `signal` aborts.
 * Blocks that already overflow get their tabindex and role at once: expressive-code adds
 * them only when the browser is idle, and on a busy machine a scrollable block can sit
 * out of keyboard reach for seconds (axe: scrollable-region-focusable). Its own script
 * agrees with ours (it adds or removes both by the same test) and takes over on resize.
 */
export function nameCodeRegions(root: ParentNode, strings: CodeRegionStrings, signal: AbortSignal): void {
  const pres = Array.from(root.querySelectorAll<HTMLElement>('.expressive-code pre'));
  if (pres.length === 0) return;
  for (const pre of pres) {
    if (pre.scrollWidth > pre.clientWidth && !pre.hasAttribute('tabindex')) {
      pre.setAttribute('tabindex', '0');
      pre.setAttribute('role', 'region');
    }
  }
  label(pres, strings);
  const observer = new MutationObserver(() => label(pres, strings));
  for (const pre of pres) observer.observe(pre, { attributes: true, attributeFilter: ['role'] });
  signal.addEventListener('abort', () => observer.disconnect(), { once: true });
}
