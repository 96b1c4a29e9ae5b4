// The docker CLI as the lazy loader imports it (lazy.ts): a module named for the chunk it
// becomes (`cli-<hash>.js`, which tests and benches look for), whatever else it splits off.
export { commandTree, globalFlags, runDocker } from './index.js';
