// What `docker service ps` and `docker node ps` share once their tasks are fetched: the
// same flags and task.Print (names resolved unless --no-resolve, cut unless --no-trunc).
import type { Task } from '../../api/types.js';
import type { FlagDef, ParsedFlags } from '../command.js';
import type { CliContext } from '../context.js';
import { renderTaskTable } from '../format/task-table.js';
import { resolveIds } from '../id-resolver.js';

export const TASK_PS_FLAGS: FlagDef[] = [
  { name: 'filter', short: 'f', kind: 'filter', usage: 'Filter output based on conditions provided' },
  { name: 'format', kind: 'string', usage: 'Pretty-print tasks using a Go template' },
  { name: 'no-resolve', kind: 'bool', usage: 'Do not map IDs to Names' },
  { name: 'no-trunc', kind: 'bool', usage: 'Do not truncate output' },
  { name: 'quiet', short: 'q', kind: 'bool', usage: 'Only display task IDs' },
];

export async function printTasks(
  ctx: CliContext,
  tasks: readonly Task[],
  flags: ParsedFlags,
  opts: { quietFullIds: boolean },
): Promise<void> {
  const quiet = flags.bool('quiet');
  ctx.stdout.write(
    renderTaskTable(tasks, {
      now: ctx.clock.now(),
      // docker/cli makes -q imply --no-trunc for service ps only: node ps -q prints 12-char IDs.
      trunc: !flags.bool('no-trunc') && !(quiet && opts.quietFullIds),
      quiet,
      format: flags.string('format'),
      names: await resolveIds(ctx.api, flags.bool('no-resolve')),
    }),
  );
}
