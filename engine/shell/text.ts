// The shell's own words (Docker's output stays English; these are ours and localizable).

export interface ShellText {
  help(hostnames: string[]): string;
  operatorUnsupported(operator: string): string;
  cannotExit: string;
  /** The docker CLI's code could not be loaded (the browser lost the site meanwhile). */
  cliUnavailable: string;
}

export const ENGLISH: ShellText = {
  help: (hostnames) =>
    [
      'This terminal runs a simulated Docker swarm. You can type:',
      '',
      '  docker ...        the docker CLI (service, node, swarm, info, version, ps; add --help)',
      `  ssh <node>        run the next commands on another node (${hostnames.join(', ')})`,
      '  exit              go back to the node you came from',
      '  sleep <seconds>   let simulated time pass',
      '  clear             clear the screen (or press Ctrl-L)',
      '  history           list the commands you typed',
      '  echo <text>       print text',
      '',
      'Ctrl-C stops waiting for a command; the swarm keeps working in the background.',
      '',
    ].join('\n'),
  operatorUnsupported: (op) => `bash: '${op}' is not supported in this terminal: run one command at a time\n`,
  cannotExit: 'This is the first node of your session; there is nowhere to exit to.\n',
  cliUnavailable: 'swarm-lab: the docker command could not be loaded (is the site still reachable?); run it again\n',
};
