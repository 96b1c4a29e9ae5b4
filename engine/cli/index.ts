// The docker CLI layer's public surface: run a command line, and the command tree
// (names, subcommands, flags) for Tab completion.
export { runDocker } from './dispatch.js';
export { globalFlags, rootCommand as commandTree } from './root.js';
