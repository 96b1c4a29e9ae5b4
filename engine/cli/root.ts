// The docker command tree Swarm Lab knows: real commands for swarm work, and stubs for
// everything else docker 28.2.2 lists, so that help output reads like the real client's.
import type { CommandDef, FlagDef } from './command.js';
import type { HelpListing } from './help.js';
import { serviceCommand } from './commands/service/index.js';
import { nodeCommand } from './commands/node/index.js';
import { networkCommand } from './commands/network/index.js';
import { swarmCommand } from './commands/swarm/index.js';
import { infoCommand } from './commands/system/info.js';
import { versionCommand } from './commands/system/version.js';
import { containerLsCommand, psCommand } from './commands/container/ps.js';
import { unsupported } from './unsupported.js';

/** docker's global options (before the command). Defaults as a root user sees them. */
export const globalFlags: FlagDef[] = [
  { name: 'config', kind: 'string', usage: 'Location of client config files', defaultText: '"/root/.docker"' },
  {
    name: 'context',
    short: 'c',
    kind: 'string',
    usage:
      'Name of the context to use to connect to the daemon (overrides DOCKER_HOST env var and default context set with "docker context use")',
  },
  { name: 'debug', short: 'D', kind: 'bool', usage: 'Enable debug mode' },
  { name: 'host', short: 'H', kind: 'list', usage: 'Daemon socket to connect to' },
  {
    name: 'log-level',
    short: 'l',
    kind: 'string',
    usage: 'Set the logging level ("debug", "info", "warn", "error", "fatal")',
    default: 'info',
    defaultText: '"info"',
  },
  { name: 'tls', kind: 'bool', usage: 'Use TLS; implied by --tlsverify' },
  { name: 'tlscacert', kind: 'string', usage: 'Trust certs signed only by this CA', defaultText: '"/root/.docker/ca.pem"' },
  { name: 'tlscert', kind: 'string', usage: 'Path to TLS certificate file', defaultText: '"/root/.docker/cert.pem"' },
  { name: 'tlskey', kind: 'string', usage: 'Path to TLS key file', defaultText: '"/root/.docker/key.pem"' },
  { name: 'tlsverify', kind: 'bool', usage: 'Use TLS and verify the remote' },
  { name: 'version', short: 'v', kind: 'bool', usage: 'Print version information and quit' },
];

type Entry = [name: string, short: string];

// The real top-level listing of `docker --help` (docker 28.2.2, no CLI plugins installed).
const COMMON: Entry[] = [
  ['run', 'Create and run a new container from an image'],
  ['exec', 'Execute a command in a running container'],
  ['ps', 'List containers'],
  ['build', 'Build an image from a Dockerfile'],
  ['pull', 'Download an image from a registry'],
  ['push', 'Upload an image to a registry'],
  ['images', 'List images'],
  ['login', 'Authenticate to a registry'],
  ['logout', 'Log out from a registry'],
  ['search', 'Search Docker Hub for images'],
  ['version', 'Show the Docker version information'],
  ['info', 'Display system-wide information'],
];
const MANAGEMENT: Entry[] = [
  ['builder', 'Manage builds'],
  ['checkpoint', 'Manage checkpoints'],
  ['container', 'Manage containers'],
  ['context', 'Manage contexts'],
  ['image', 'Manage images'],
  ['manifest', 'Manage Docker image manifests and manifest lists'],
  ['network', 'Manage networks'],
  ['plugin', 'Manage plugins'],
  ['system', 'Manage Docker'],
  ['trust', 'Manage trust on Docker images'],
  ['volume', 'Manage volumes'],
];
const SWARM: Entry[] = [
  ['config', 'Manage Swarm configs'],
  ['node', 'Manage Swarm nodes'],
  ['secret', 'Manage Swarm secrets'],
  ['service', 'Manage Swarm services'],
  ['stack', 'Manage Swarm stacks'],
  ['swarm', 'Manage Swarm'],
];
const OTHER: Entry[] = [
  ['attach', 'Attach local standard input, output, and error streams to a running container'],
  ['commit', "Create a new image from a container's changes"],
  ['cp', 'Copy files/folders between a container and the local filesystem'],
  ['create', 'Create a new container'],
  ['diff', "Inspect changes to files or directories on a container's filesystem"],
  ['events', 'Get real time events from the server'],
  ['export', "Export a container's filesystem as a tar archive"],
  ['history', 'Show the history of an image'],
  ['import', 'Import the contents from a tarball to create a filesystem image'],
  ['inspect', 'Return low-level information on Docker objects'],
  ['kill', 'Kill one or more running containers'],
  ['load', 'Load an image from a tar archive or STDIN'],
  ['logs', 'Fetch the logs of a container'],
  ['pause', 'Pause all processes within one or more containers'],
  ['port', 'List port mappings or a specific mapping for the container'],
  ['rename', 'Rename a container'],
  ['restart', 'Restart one or more containers'],
  ['rm', 'Remove one or more containers'],
  ['rmi', 'Remove one or more images'],
  ['save', 'Save one or more images to a tar archive (streamed to STDOUT by default)'],
  ['start', 'Start one or more stopped containers'],
  ['stats', 'Display a live stream of container(s) resource usage statistics'],
  ['stop', 'Stop one or more running containers'],
  ['tag', 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE'],
  ['top', 'Display the running processes of a container'],
  ['unpause', 'Unpause all processes within one or more containers'],
  ['update', 'Update configuration of one or more containers'],
  ['wait', 'Block until one or more containers stop, then print their exit codes'],
];

// `docker container --help` lists these; only ls is simulated.
const CONTAINER_SUBS: Entry[] = [
  ['attach', 'Attach local standard input, output, and error streams to a running container'],
  ['commit', "Create a new image from a container's changes"],
  ['cp', 'Copy files/folders between a container and the local filesystem'],
  ['create', 'Create a new container'],
  ['diff', "Inspect changes to files or directories on a container's filesystem"],
  ['exec', 'Execute a command in a running container'],
  ['export', "Export a container's filesystem as a tar archive"],
  ['inspect', 'Display detailed information on one or more containers'],
  ['kill', 'Kill one or more running containers'],
  ['logs', 'Fetch the logs of a container'],
  ['pause', 'Pause all processes within one or more containers'],
  ['port', 'List port mappings or a specific mapping for the container'],
  ['prune', 'Remove all stopped containers'],
  ['rename', 'Rename a container'],
  ['restart', 'Restart one or more containers'],
  ['rm', 'Remove one or more containers'],
  ['run', 'Create and run a new container from an image'],
  ['start', 'Start one or more stopped containers'],
  ['stats', 'Display a live stream of container(s) resource usage statistics'],
  ['stop', 'Stop one or more running containers'],
  ['top', 'Display the running processes of a container'],
  ['unpause', 'Unpause all processes within one or more containers'],
  ['update', 'Update configuration of one or more containers'],
  ['wait', 'Block until one or more containers stop, then print their exit codes'],
];

const containerCommand: CommandDef = {
  name: 'container',
  usage: '',
  short: 'Manage containers',
  subcommands: [
    containerLsCommand,
    ...CONTAINER_SUBS.map(([n, s]) => unsupported(n, s, `docker container ${n}`)),
  ],
};

const systemCommand: CommandDef = {
  name: 'system',
  usage: '',
  short: 'Manage Docker',
  subcommands: [
    { ...infoCommand },
    unsupported('df', 'Show docker disk usage', 'docker system df'),
    unsupported('events', 'Get real time events from the server', 'docker system events'),
    unsupported('prune', 'Remove unused data', 'docker system prune'),
  ],
};

const implemented: CommandDef[] = [
  serviceCommand,
  nodeCommand,
  networkCommand,
  swarmCommand,
  infoCommand,
  versionCommand,
  psCommand,
  containerCommand,
  systemCommand,
];

const implementedNames = new Set(implemented.map((c) => c.name));
const stubFor = ([name, short]: Entry) => unsupported(name, short, `docker ${name}`);

export const rootCommand: CommandDef = {
  name: 'docker',
  usage: '[OPTIONS] COMMAND [ARG...]',
  short: 'A self-sufficient runtime for containers',
  flags: globalFlags,
  subcommands: [
    ...implemented,
    ...[...COMMON, ...MANAGEMENT, ...SWARM, ...OTHER].filter(([n]) => !implementedNames.has(n)).map(stubFor),
  ],
};

const section = (title: string, entries: Entry[]): HelpListing => ({
  title,
  commands: entries.map(([name, short]) => ({ name, short })),
});

/** The sections of `docker --help`, in docker's order. */
export const rootHelpSections: HelpListing[] = [
  section('Common Commands', COMMON),
  section('Management Commands', MANAGEMENT),
  section('Swarm Commands', SWARM),
  section('Commands', OTHER),
];
