// docker service logs SERVICE|TASK
import { noticeIfPaused } from '../../context.js';
import type { LogLine, Task } from '../../../api/types.js';
import type { CliContext } from '../../context.js';
import type { CommandDef, ParsedFlags } from '../../command.js';
import { CliError } from '../../command.js';
import { parseGoDuration } from '../../format/go-parse.js';
import { timestampMs } from '../../format/time.js';
import { isNotFound } from '../../daemon-error.js';
import { LOGS_FLAGS } from './flag-defs.js';
import { truncateId } from '../../format/ids.js';
import { resolveIds } from '../../id-resolver.js';

const digits = (n: number) => String(n).length;

interface Target {
  serviceId: string;
  serviceName: string;
  /** Only this task's lines (a task ID was given). */
  taskId?: string;
  /** Width of the widest slot number, for aligning prefixes. */
  maxLength: number;
}

async function findTarget(ctx: CliContext, ref: string): Promise<Target> {
  try {
    const s = await ctx.api.serviceInspect(ref);
    const replicas = s.Spec.Mode.Replicated?.Replicas;
    return { serviceId: s.ID, serviceName: s.Spec.Name, maxLength: replicas !== undefined ? digits(replicas) : 1 };
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
  let task: Task;
  try {
    task = await ctx.api.taskInspect(ref);
  } catch (e) {
    if (isNotFound(e)) throw new CliError(`no such task or service: ${ref}`);
    throw e;
  }
  const s = await ctx.api.serviceInspect(task.ServiceID);
  return { serviceId: s.ID, serviceName: s.Spec.Name, taskId: task.ID, maxLength: digits(task.Slot ?? 0) };
}

function sinceMs(flags: ParsedFlags, nowMs: number): number | undefined {
  const since = flags.string('since');
  if (since === '') return undefined;
  try {
    return nowMs - parseGoDuration(since) / 1e6;
  } catch {
    try {
      return timestampMs(since);
    } catch {
      const seconds = Number(since);
      if (Number.isFinite(seconds)) return seconds * 1000;
      throw new CliError(`invalid value for "since": failed to parse value as time or duration: "${since}"`);
    }
  }
}

export const logsCommand: CommandDef = {
  name: 'logs',
  usage: '[OPTIONS] SERVICE|TASK',
  short: 'Fetch the logs of a service or task',
  args: { min: 1, max: 1 },
  flags: LOGS_FLAGS,
  async run(ctx, { args, flags }) {
    const target = await findTarget(ctx, args[0] ?? '');
    // The daemon reads the text (and refuses what is not a count); it tails each task apart.
    const tailText = flags.string('tail');
    const tail = tailText === 'all' || tailText === '' ? undefined : tailText;
    const since = sinceMs(flags, ctx.clock.now());
    const noResolve = flags.bool('no-resolve');
    const names = await resolveIds(ctx.api, noResolve);
    const serviceName = noResolve ? target.serviceId : target.serviceName;
    const slots = new Map<string, number>();

    const slotOf = async (taskId: string): Promise<number> => {
      let slot = slots.get(taskId);
      if (slot === undefined) {
        slot = (await ctx.api.taskInspect(taskId)).Slot ?? 0;
        slots.set(taskId, slot);
      }
      return slot;
    };

    const prefix = async (line: LogLine): Promise<string> => {
      const slot = await slotOf(line.taskId);
      let name = `${serviceName}.${slot}`;
      if (!flags.bool('no-task-ids')) name += '.' + (flags.bool('no-trunc') ? line.taskId : truncateId(line.taskId));
      const pad = ' '.repeat(Math.max(0, target.maxLength - digits(slot)));
      return `${name}@${names.node(line.nodeId)}${pad}    | `;
    };

    const render = async (line: LogLine): Promise<string> => {
      const ts = flags.bool('timestamps') ? `${line.time} ` : '';
      if (flags.bool('raw')) {
        // Raw output is the daemon's stream as it comes; docker asks for the swarm attributes
        // in raw mode only with --details (checked with the real CLI against swarm-lab serve).
        const details = flags.bool('details')
          ? `com.docker.swarm.node.id=${line.nodeId},com.docker.swarm.service.id=${line.serviceId},com.docker.swarm.task.id=${line.taskId} `
          : '';
        return `${ts}${details}${line.text}\n`;
      }
      return `${ts}${await prefix(line)}${flags.bool('details') ? ' ' : ''}${line.text}\n`;
    };

    const seen = new Map<string, number>();
    // Each line's multiset key, made once per line object (the simulated daemon hands out the
    // same objects while a task's lines hold, so a poll of 20,000 tasks builds no strings).
    const keys = new WeakMap<LogLine, string>();
    const keyOf = (l: LogLine): string => {
      let key = keys.get(l);
      if (key === undefined) keys.set(l, (key = `${l.taskId}\u0000${l.time}\u0000${l.stream}\u0000${l.text}`));
      return key;
    };
    let lastAnswer: LogLine[] | undefined;
    const fetchNew = async (): Promise<LogLine[]> => {
      // A task's logs are its own container's, and the daemon tails every task apart, so a
      // task's last N lines are the service's answer filtered to that task.
      const opts = { timestamps: flags.bool('timestamps'), ...(tail !== undefined ? { tail } : {}) };
      const answer = await ctx.api.serviceLogs(target.serviceId, opts);
      // The very array of the last poll (the simulated daemon's, while nothing changed): every
      // line in it was printed or left out then, and would be now.
      if (answer === lastAnswer) return [];
      lastAnswer = answer;
      let lines = answer.filter((l) => target.taskId === undefined || l.taskId === target.taskId);
      lines = lines.filter((l) => since === undefined || timestampMs(l.time) >= since);
      // A multiset of what was printed, so repeated identical lines still show up when new.
      const counts = new Map<string, number>();
      const fresh: LogLine[] = [];
      for (const l of lines) {
        const key = keyOf(l);
        const n = (counts.get(key) ?? 0) + 1;
        counts.set(key, n);
        if (n > (seen.get(key) ?? 0)) {
          seen.set(key, n);
          fresh.push(l);
        }
      }
      return fresh;
    };

    const print = async (lines: LogLine[]) => {
      for (const l of lines) (l.stream === 'stderr' ? ctx.stderr : ctx.stdout).write(await render(l));
    };

    await print(await fetchNew());
    if (!flags.bool('follow')) return 0;
    noticeIfPaused(ctx);
    // -f: keep polling for new lines until Ctrl-C.
    for (;;) {
      if (ctx.signal.aborted) return 0;
      try {
        await ctx.clock.sleep(200, ctx.signal);
      } catch (e) {
        if (ctx.signal.aborted) return 0;
        throw e;
      }
      await print(await fetchNew());
    }
  },
};
