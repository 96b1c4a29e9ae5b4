// What one local server remembers about the changes Swarm Lab made to a real swarm, shared by
// every terminal it runs (the page's WebSocket, /api/run calls):
//  - the node availabilities it changed, with what each was before, so a lesson reset, the
//    learner leaving local mode (the page's socket closes) and the server stopping put them back;
//  - one queue for the writes that must check the resource caps first (guard.ts), so two
//    terminals cannot both pass the check and then both create.
// Pure (no Node built-ins).
import type { SwarmApi } from '../../api/swarm-api.js';
import { isApiError } from '../../api/swarm-api.js';
import type { NodeAvailability } from '../../api/types.js';

export interface ChangedNode {
  hostname: string;
  /** The availability before Swarm Lab first changed it. */
  before: NodeAvailability;
}

export interface RestoreResult {
  /** Hostnames set back to what they were. */
  restored: string[];
  /** Hostnames that could not be set back (the daemon did not answer): kept for the next try. */
  failed: string[];
}

export class LocalLedger {
  /** Node ID → what it was before Swarm Lab's first change to it. */
  private readonly nodes = new Map<string, ChangedNode>();
  private queue: Promise<unknown> = Promise.resolve();

  /** Called before Swarm Lab writes a node's availability: remembers the first "before" only. */
  nodeChanging(id: string, hostname: string, before: NodeAvailability): void {
    if (!this.nodes.has(id)) this.nodes.set(id, { hostname, before });
  }

  /** Called after the write: a node set back to what it was needs no restoring. */
  nodeChanged(id: string, now: NodeAvailability): void {
    if (this.nodes.get(id)?.before === now) this.nodes.delete(id);
  }

  /** The nodes Swarm Lab changed and has not restored yet. */
  changedNodes(): ReadonlyMap<string, ChangedNode> {
    return this.nodes;
  }

  /**
   * Puts every node Swarm Lab changed back to its availability from before (through `api`, the
   * first manager's own connection). A node that is gone is forgotten; one whose daemon does
   * not answer stays remembered for the next reset or shutdown.
   */
  restoreNodes(api: SwarmApi): Promise<RestoreResult> {
    // Queued with the guard's node writes: a drain in flight lands before it is undone, not after.
    return this.serial(() => this.restoreNow(api));
  }

  private async restoreNow(api: SwarmApi): Promise<RestoreResult> {
    const result: RestoreResult = { restored: [], failed: [] };
    for (const [id, { hostname, before }] of [...this.nodes]) {
      try {
        const node = await api.nodeInspect(id);
        if (node.Spec.Availability !== before) {
          await api.nodeUpdate(node.ID, node.Version.Index, { ...node.Spec, Availability: before });
          result.restored.push(hostname);
        }
        this.nodes.delete(id);
      } catch (e) {
        if (isApiError(e) && e.statusCode === 404) this.nodes.delete(id);
        else result.failed.push(hostname);
      }
    }
    return result;
  }

  /**
   * Runs `work` after every earlier one has settled: a cap check and the write it allowed are
   * one step, and so are a node's change and its record.
   */
  serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
