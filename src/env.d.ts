// Module types for imports that Vite plugins of this project answer (astro.config.mjs).

/** A script bundled into a string for an inline <script> (scripts/vite-inline-script.mjs). */
declare module '*?inline-script' {
  const code: string;
  export default code;
}
