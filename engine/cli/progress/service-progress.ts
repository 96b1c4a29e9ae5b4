// The attached mode of service create/update/scale/rollback (docker/cli's
// progress.ServiceProgress + WaitOnService): poll the service and its up-to-date tasks
// every 200 ms, draw the progress lines, then hold for the monitor period before declaring
// the service converged. A paused update ends the command with exit status 1; Ctrl-C leaves
// the service converging in the background and exits 0.
import type { Writer } from '../context.js';
import type { CliContext } from '../context.js';
import { noticeIfPaused, pausedNotice } from '../context.js';
import { CliError } from '../command.js';
import { NS_PER_MS } from '../../api/types.js';
import { ProgressDisplay } from './display.js';
import type { ProgressUpdater } from './updaters.js';
import { updaterFor } from './updaters.js';

export const POLL_INTERVAL_MS = 200;
const DEFAULT_MONITOR_MS = 5000;

const discard: Writer = { write() {} };

/**
 * Waits for `serviceRef` (as the user typed it, or the new ID after create) to converge.
 * `quiet` still waits but draws nothing. Resolves on convergence or Ctrl-C; throws
 * CliError (exit 1) when the update or rollback pauses.
 */
export async function waitOnService(ctx: CliContext, serviceRef: string, quiet: boolean): Promise<void> {
  noticeIfPaused(ctx);
  // The width is read at each redraw: the page's terminal can be resized while it waits.
  const display = new ProgressDisplay(quiet ? discard : ctx.stdout, ctx.tty, () => ctx.columns);
  // Paused from the dock while it waits: the notice goes above the progress lines, which are
  // drawn again under it, so the display's redraws still land on its own rows.
  const off = ctx.clock.onPause?.(() => display.interject(pausedNotice(ctx.clock), ctx.stderr));
  try {
    await serviceProgress(ctx, serviceRef, display);
  } finally {
    off?.();
  }
}

export async function serviceProgress(ctx: CliContext, serviceRef: string, display: ProgressDisplay): Promise<void> {
  const { api, clock, signal } = ctx;
  let updater: ProgressUpdater | undefined;
  let converged = false;
  let convergedAt: number | undefined;
  let monitorMs = DEFAULT_MONITOR_MS;
  let rollback = false;
  let finalMessage: { id: string; text: string } | undefined;

  for (;;) {
    const service = await api.serviceInspect(serviceRef);
    const monitor = service.Spec.UpdateConfig?.Monitor;
    if (monitor) monitorMs = monitor / NS_PER_MS;
    updater ??= updaterFor(service, display);

    const status = service.UpdateStatus;
    if (status) {
      switch (status.State) {
        case 'updating':
          rollback = false;
          break;
        case 'completed':
          if (!converged) return;
          break;
        case 'paused':
          throw new CliError(`service update paused: ${status.Message}`);
        case 'rollback_started':
          if (!rollback && status.Message !== '') display.progress('rollback', status.Message);
          rollback = true;
          break;
        case 'rollback_paused':
          throw new CliError(`service rollback paused: ${status.Message}`);
        case 'rollback_completed':
          if (!converged) finalMessage = { id: 'rollback', text: status.Message };
          rollback = true;
          break;
      }
    }
    if (converged && convergedAt !== undefined && clock.now() - convergedAt >= monitorMs) {
      display.progress('verify', `Service ${serviceRef} converged`);
      if (finalMessage) display.message(finalMessage.id, finalMessage.text);
      return;
    }

    const tasks = await api.taskList({ service: [service.ID], '_up-to-date': ['true'] });
    const nodes = await api.nodeList();
    const activeNodes = new Set(nodes.filter((n) => n.Status.State !== 'down').map((n) => n.ID));

    converged = updater.update(service, tasks, activeNodes, rollback);
    if (converged) {
      convergedAt ??= clock.now();
      // Real time always moves a little between polls, so Go's `wait/time.Second+1` on a
      // whole-second wait counts 5,4,3,2,1; on a virtual clock the same is ceil(wait).
      const wait = monitorMs - (clock.now() - convergedAt);
      if (wait > 0) {
        display.progress('verify', `Waiting ${Math.ceil(wait / 1000)} seconds to verify that tasks are stable...`);
      }
    } else {
      if (convergedAt !== undefined) display.progress('verify', 'Detected task failure');
      convergedAt = undefined;
    }

    if (await interrupted(ctx)) {
      if (!converged) {
        display.message('', 'Operation continuing in background.');
        display.message('', `Use \`docker service ps ${serviceRef}\` to check progress.`);
      }
      return;
    }
  }
}

/** Sleeps one poll interval; true when Ctrl-C arrived before or during it. */
async function interrupted(ctx: CliContext): Promise<boolean> {
  if (ctx.signal.aborted) return true;
  try {
    await ctx.clock.sleep(POLL_INTERVAL_MS, ctx.signal);
  } catch (e) {
    if (ctx.signal.aborted) return true;
    throw e;
  }
  return ctx.signal.aborted;
}
