// A Vite plugin for scripts that go into the page's HTML instead of a file of their own:
// `import code from './x.ts?inline-script'` gives x.ts bundled with what it imports,
// minified, as one classic script (an IIFE) in a string, for `<script is:inline set:html={code}>`.
// The sidebar's progress marks use it (src/components/Sidebar.astro): they must be in the
// first frame and must not add a script request to the lesson page.
import { build } from 'esbuild';
import { resolve } from 'node:path';

const QUERY = '?inline-script';
const PREFIX = '\0inline-script:';

export function inlineScript() {
  return {
    name: 'swarm-lab:inline-script',
    enforce: 'pre',
    async resolveId(source, importer) {
      if (!source.endsWith(QUERY)) return null;
      const r = await this.resolve(source.slice(0, -QUERY.length), importer, { skipSelf: true });
      return r ? PREFIX + r.id : null;
    },
    async load(id) {
      if (!id.startsWith(PREFIX)) return null;
      const entry = id.slice(PREFIX.length);
      const out = await build({
        entryPoints: [entry],
        bundle: true,
        minify: true,
        format: 'iife',
        target: 'es2022',
        write: false,
        metafile: true,
        logLevel: 'silent',
      });
      for (const input of Object.keys(out.metafile.inputs)) this.addWatchFile(resolve(input));
      return `export default ${JSON.stringify(out.outputFiles[0].text.trim())};`;
    },
  };
}
