// A rehype plugin for inline code in the lessons' prose: like the shell blocks
// (whole-options.mjs), a hyphenated word (`--update-delay`) is never split at a hyphen when a
// line wraps: on a phone `--` ended one line and `update-delay` began the next. Breaks at
// spaces stay; a word too long to fit a line may still break anywhere.
import { keepWhole } from './hyphenated.mjs';

export function inlineCodeWords() {
  return (tree) => walk(tree, undefined);
}

function walk(node, parent) {
  if (!node || !Array.isArray(node.children)) return;
  if (node.type === 'element' && node.tagName === 'code' && !(parent && parent.tagName === 'pre')) {
    node.children = node.children.flatMap(split);
    return;
  }
  for (const child of node.children) walk(child, node);
}

/** A text node into words and spaces, each hyphenated word in a span that does not break. */
function split(child) {
  if (child.type !== 'text' || !child.value.includes('-')) return [child];
  return child.value
    .split(/(\s+)/)
    .filter((part) => part !== '')
    .map((part) =>
      keepWhole(part)
        ? { type: 'element', tagName: 'span', properties: { className: ['nobr'] }, children: [{ type: 'text', value: part }] }
        : { type: 'text', value: part },
    );
}
