// The Swarm Lab site: Astro + Starlight with the lessons in the top-level content/ folder.
// srcDir is '.' because Starlight derives its sidebar autogeneration and per-page locale
// from `${srcDir}/content/docs` (stack-notes §1, variant B); site code stays in src/.
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import { transform } from 'esbuild';
import { minify as terser } from 'terser';
import { fileURLToPath } from 'node:url';
import { inlineScript } from './scripts/vite-inline-script.mjs';
import { wholeOptions } from './src/code-blocks/whole-options.mjs';
import { inlineCodeWords } from './src/code-blocks/inline-words.mjs';

export default defineConfig({
  site: 'https://swarm-lab.example',
  srcDir: '.',
  // dist/ also holds the CLI bundle (scripts/build-cli.mjs); astro empties its outDir, so the
  // site gets a folder of its own.
  outDir: './dist/site',
  // Inline code in the prose keeps a hyphenated word whole when a line wraps (src/code-blocks/).
  markdown: { rehypePlugins: [inlineCodeWords] },
  // No `telemetry` key here: Astro has none (it ignored `telemetry: false`); package.json's
  // scripts set ASTRO_TELEMETRY_DISABLED=1 instead, as the test builds do.
  integrations: [
    starlight({
      title: { en: 'Swarm Lab', 'zh-CN': 'Swarm 实验室' },
      description: 'Learn Docker Swarm in a simulated swarm that prints what the real docker CLI prints.',
      favicon: '/favicon.svg',
      defaultLocale: 'root',
      locales: {
        root: { label: 'English', lang: 'en' },
        'zh-cn': { label: '简体中文', lang: 'zh-CN' },
      },
      // The order comes from each lesson's `sidebar.order` frontmatter (content/lessons/index.ts
      // holds the same order; test/site-build.test.ts checks that they agree).
      sidebar: [{ label: 'Lessons', translations: { 'zh-CN': '课程' }, autogenerate: { directory: 'lessons' } }],
      customCss: ['./src/styles/site.css'],
      // Lesson pages dock the terminal where the table of contents would be; other pages keep
      // Starlight's layout (src/components/LessonColumns.astro decides by route id).
      // The sidebar adds a progress mark to each lesson (src/components/Sidebar.astro).
      components: {
        TwoColumnContent: './src/components/LessonColumns.astro',
        Head: './src/components/HeadWithRouter.astro',
        Sidebar: './src/components/Sidebar.astro',
      },
      // Beside the docked terminal the lesson column is narrow (LessonColumns.astro): a long
      // command or a docker table would be cut off at its edge, readable only by scrolling
      // sideways. They wrap instead, each logical line continuing indented under itself, so a
      // wrapped row is told from the next (the indent is site.css's: expressive-code's own
      // hangingIndent writes a style attribute on every line, ~100 on a lesson page). Only
      // the display wraps: Copy and Run take the
      // block's own text (expressive-code's data-code, src/client/lesson/command-text.ts).
      // A hyphenated word of a command stays whole on its row (src/code-blocks/whole-options.mjs).
      expressiveCode: { defaultProps: { wrap: true, preserveIndent: false }, plugins: [wholeOptions()] },
      // A phone's on-screen keyboard shrinks the page instead of covering it (Chrome on
      // Android; others ignore the key): the terminal's drawer, as tall as the screen, then
      // refits above the keyboard and the prompt stays in sight while the learner types.
      head: [{ tag: 'meta', attrs: { name: 'viewport', content: 'width=device-width, initial-scale=1, interactive-widget=resizes-content' } }],
      pagination: true,
      // Our own 404 page (src/routes/404.astro, injected below) instead of Starlight's.
      disable404Route: true,
    }),
    {
      name: 'swarm-lab:404',
      hooks: {
        'astro:config:setup': ({ injectRoute }) => injectRoute({ pattern: '404', entrypoint: './src/routes/404.astro', prerender: true }),
      },
    },
  ],
  vite: {
    // The page's scripts through terser too (as the worker's, below): 2-3% less gzip than
    // esbuild's minifier for the same code, which keeps the eager JavaScript under its 110 KB.
    build: { minify: 'terser', terserOptions: { ecma: 2020, compress: { passes: 2 }, format: { comments: /@license|@preserve|^!/ } } },
    // `?inline-script` imports: a script bundled into a string for the page's HTML.
    plugins: [inlineScript()],
    resolve: {
      // Starlight's search box loads the Pagefind UI only when the learner reaches for search
      // (src/client/search/lazy-pagefind-ui.ts), not on idle after every page load.
      alias: [{ find: /^@pagefind\/default-ui$/, replacement: fileURLToPath(new URL('./src/client/search/lazy-pagefind-ui.ts', import.meta.url)) }],
    },
    worker: {
      format: 'es',
      // Lesson pages start the worker from an inline <head> script, so its URL comes from an
      // `engine/worker.ts?worker&url` import in HeadWithRouter.astro, which Vite bundles during
      // the server build, where nothing is minified: minify worker bundles here so that one is
      // as small as the client build's (which stays as the fallback of worker-boot.ts).
      // esbuild strips the types and syntax first; terser then compresses the way esbuild does
      // not (two passes, inlining): 2.5% less gzip on the worker's chunks (67.9 -> 66.2 KB),
      // for a few seconds of build.
      plugins: () => [
        {
          name: 'swarm-lab:minify-worker',
          async renderChunk(code) {
            const out = await transform(code, { minify: true, format: 'esm', target: 'es2022', legalComments: 'inline' });
            const tersed = await terser(out.code, { module: true, ecma: 2020, compress: { passes: 2 }, format: { comments: /@license|@preserve|^!/ } });
            return { code: tersed.code ?? out.code, map: null };
          },
        },
      ],
    },
  },
});
