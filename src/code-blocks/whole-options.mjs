// An expressive-code plugin for the lessons' shell blocks: a browser may break a wrapped line
// after any hyphen, so in the narrow lesson column `--update-delay` came out as `-` at the end
// of one row and `-update-delay` on the next, which reads as another flag. Each hyphenated
// word of a command (a flag, `worker-1`, `start-first`) is kept on one row; lines still break
// at spaces. A word too long to fit a row (a join token) may break anywhere, as before.
import { keepWhole } from './hyphenated.mjs';
const LANGUAGES = new Set(['sh', 'bash', 'shell', 'console']);

/** @returns {import('@expressive-code/core').ExpressiveCodePlugin} */
export function wholeOptions() {
  return {
    name: 'swarm-lab:whole-options',
    baseStyles: '.code .nobr { white-space: nowrap; }',
    hooks: {
      postprocessRenderedLine: ({ codeBlock, renderData }) => {
        if (!LANGUAGES.has(codeBlock.language)) return;
        visit(renderData.lineAst);
      },
    },
  };
}

/** Marks the line's innermost spans whose whole text is one hyphenated word. */
function visit(node) {
  if (!node || !Array.isArray(node.children)) return;
  for (const child of node.children) {
    if (child.type !== 'element') continue;
    const only = child.children.length === 1 && child.children[0].type === 'text' ? child.children[0].value : undefined;
    if (child.tagName === 'span' && only !== undefined) {
      if (keepWhole(only)) {
        const cls = child.properties.className;
        child.properties.className = [...(Array.isArray(cls) ? cls : cls ? [cls] : []), 'nobr'];
      }
    } else visit(child);
  }
}
