// The shell's own words (Docker's output stays English; these are ours and localizable).
import type { InjectionDone, InjectionRefusal } from '../sim/faults.js';
import type { StepChange } from '../step.js';
import { displayWidth } from '../text-width.js';
import { PAUSED_WAIT_NOTICE } from '../cli/context.js';

export interface ShellText {
  help(hostnames: string[]): string;
  operatorUnsupported(operator: string): string;
  cannotExit: string;
  /** The docker CLI's code could not be loaded (the browser lost the site meanwhile). */
  cliUnavailable: string;
  /** `curl`'s code could not be loaded (the browser lost the site meanwhile). */
  curlUnavailable: string;
  steerUsage(cmd: string): string;
  /** pause/play/step/undo/redo on a real swarm (local mode). */
  steerUnavailable(cmd: string): string;
  paused(time: string): string;
  /** Said (stderr) when a command starts waiting on a paused swarm, or the swarm is paused while it waits. */
  pausedWait: string;
  playing(time: string): string;
  stepped(time: string, changes: readonly StepChange[]): string;
  nothingScheduled: string;
  undone(line: string, time: string): string;
  redone(line: string, time: string): string;
  nothingToUndo: string;
  nothingToRedo: string;
  /** `lab` with words it does not know (also its --help, on stdout). */
  labUsage: string;
  /** `lab` on a real swarm (local mode). */
  labUnavailable: string;
  /** What an injected failure did. */
  injected(done: InjectionDone): string;
  /** Why an injection was not made (nothing changed). */
  injectionRefused(refused: InjectionRefusal): string;
}

/** `redis.2 on worker1: preparing → starting` (a node: `worker1: ready, active → down, active`). */
function stepLine(c: StepChange): string {
  const where = c.node ? `${c.name} on ${c.node}` : c.name;
  const desired = c.desired ? ` (desired ${c.desired})` : '';
  return c.from === '' ? `  ${where}: created, ${c.to}${desired}` : `  ${where}: ${c.from} → ${c.to}${desired}`;
}

/**
 * The machines' names under a help line, from column 20, as many to a row as fit 80 columns
 * (a 100-node topology lists them all without a row running past the terminal's edge).
 */
export function nameRows(names: readonly string[], sep: string): string[] {
  // `sep` is punctuation and the space after it (', ' or '、'): the punctuation ends each
  // name but the last, the space goes between names on a row.
  const mark = sep.trimEnd();
  const gap = sep.slice(mark.length);
  const rows: string[] = [];
  let row = '';
  for (const [i, name] of names.entries()) {
    const item = i < names.length - 1 ? name + mark : name;
    const joined = row === '' ? item : row + gap + item;
    if (row !== '' && 20 + displayWidth(joined) > 80) {
      rows.push(' '.repeat(20) + row);
      row = item;
    } else row = joined;
  }
  if (row !== '') rows.push(' '.repeat(20) + row);
  return rows;
}

export const ENGLISH: ShellText = {
  help: (hostnames) =>
    [
      'This terminal runs a simulated Docker swarm. You can type:',
      '',
      '  docker ...        the docker CLI (service, node, swarm, network, info,',
      '                    version, ps; add --help to any of them)',
      '  curl <url>        fetch a page from a published port, e.g. curl worker1:8080',
      '                    (options -s, -i, -m <seconds>)',
      '  ssh <node>        run the next commands on another node:',
      ...nameRows(hostnames, ', '),
      '  exit              go back to the node you came from',
      '  sleep <seconds>   let simulated time pass',
      '  clear             clear the screen (or press Ctrl-L)',
      '  history           list the commands you typed',
      '  echo <text>       print text',
      '  pause, play       freeze the swarm\'s time, and let it run again',
      '  step              move the paused swarm to its next event; says what changed',
      '  undo, redo        take back the last command that changed the swarm,',
      '                    or bring it back',
      '  lab node stop <node>, lab node start <node>',
      '                    stop or start a node\'s Docker daemon (a node that fails)',
      '  lab task kill <task>',
      '                    kill a task\'s container, as docker kill would (e.g. redis.2)',
      '',
      'Ctrl-C stops waiting for a command; the swarm keeps working in the background.',
      '',
    ].join('\n'),
  operatorUnsupported: (op) => `bash: '${op}' is not supported in this terminal: run one command at a time\n`,
  cannotExit: 'This is the first node of your session; there is nowhere to exit to.\n',
  cliUnavailable: 'swarm-lab: the docker command could not be loaded (is the site still reachable?); run it again\n',
  curlUnavailable: 'swarm-lab: the curl command could not be loaded (is the site still reachable?); run it again\n',
  steerUsage: (cmd) => `${cmd}: usage: ${cmd} (it takes no arguments)\n`,
  steerUnavailable: (cmd) =>
    `${cmd}: not available in local mode: only the simulated swarm's time can be paused or its commands undone\n`,
  paused: (time) => `Swarm paused at ${time}. Type step to move it one event on, play to let it run.\n`,
  pausedWait: PAUSED_WAIT_NOTICE,
  playing: (time) => `Swarm running again from ${time}.\n`,
  stepped: (time, changes) =>
    changes.length === 0
      ? `Swarm time ${time}: a timer ran, nothing visible changed.\n`
      : `Swarm time ${time}:\n${changes.map(stepLine).join('\n')}\n`,
  nothingScheduled: 'Nothing is scheduled in the swarm: it is at rest, step has nothing to do.\n',
  undone: (line, time) => `Undone: ${line}\nThe swarm is back as it was just before, at ${time}.\n`,
  redone: (line, time) => `Redone: ${line}\nThe swarm is back at ${time}.\n`,
  nothingToUndo: 'undo: nothing left to undo\n',
  nothingToRedo: 'redo: nothing to redo\n',
  labUsage: [
    'usage: lab node stop NODE    stop the Docker daemon of NODE',
    '       lab node start NODE   start it again',
    "       lab task kill TASK    kill TASK's container, as docker kill would",
    '                             (TASK: a name such as redis.2, or a task ID)',
    '',
  ].join('\n'),
  labUnavailable: 'lab: not available in local mode: failures can only be injected into the simulated swarm (switch to the simulator to try it)\n',
  injected: (done) => {
    switch (done.kind) {
      case 'node-stop':
        return `Stopped the Docker daemon on ${done.host} (its containers stopped with it).\nThe managers mark the node Down once its heartbeats stop for the grace period.\n`;
      case 'node-start':
        return `Started the Docker daemon on ${done.host}: it answers again.\nIts node is Ready once its agent has reached the leader.\n`;
      case 'task-kill':
        return `Killed ${done.task?.name ?? ''}'s container on ${done.host} (task ${done.task?.id.slice(0, 12) ?? ''}): SIGKILL, exit 137.\n`;
    }
  },
  injectionRefused: (r) => {
    switch (r.reason) {
      case 'no-such-node':
        return `lab: no such node: ${r.ref}\n`;
      case 'ambiguous-node':
        return `lab: node ${r.ref} is ambiguous (${r.count} matches found)\n`;
      case 'already-stopped':
        return `lab: the Docker daemon on ${r.host} is already stopped\n`;
      case 'already-running':
        return `lab: the Docker daemon on ${r.host} is already running\n`;
      case 'no-such-task':
        return `lab: no such task: ${r.ref}\n`;
      case 'ambiguous-task':
        return `lab: task ${r.ref} is ambiguous (${r.count} matches found)\n`;
      case 'not-running':
        return `lab: ${r.task} has no running container to kill (the task is ${r.state})\n`;
      case 'daemon-stopped':
        return `lab: ${r.task} is on ${r.host}, whose Docker daemon is stopped: its container is not running\n`;
    }
  },
};
