// The simulated swarm's answer to the shell's `curl` (the CurlBackend of engine/shell/curl-backend.ts):
// the routing mesh (ingress.ts) picks where the connection goes, the task's server answers
// (web.ts), and curl's output or error is made as curl 7.88.1 prints it (engine/shell/curl-format.ts).
// A request served leaves its line in the task's log and marks the task for the swarm view
// (Cluster.served). Loaded with the first `curl` (engine/session.ts), not with the worker.
import type { CurlHooks, CurlRequest, CurlResult } from '../shell/curl-backend.js';
import { typedHost } from '../shell/curl.js';
import { connectTimedOut, couldNotConnect, couldNotResolve, emptyReply } from '../shell/curl-format.js';
import type { Simulator } from './simulator.js';
import type { RoundRobin } from './ingress.js';
import { routeConnection } from './ingress.js';
import { findImage } from './images.js';
import { logLines, serve } from './web.js';

/** How long a connect to an address nobody answers ARP for takes to fail: 3 probes, 1 s apart (Linux's default). */
export const NO_ROUTE_MS = 3056;

/** Each swarm's round-robin positions (a new simulator, after undo or a reset, starts afresh). */
const turns = new WeakMap<Simulator, RoundRobin>();

export async function curlOnSimulator(
  sim: Simulator,
  req: CurlRequest,
  sleep: (ms: number, signal: AbortSignal) => Promise<void>,
  signal: AbortSignal,
  hooks: CurlHooks = {},
): Promise<CurlResult> {
  const host = typedHost(req);
  let rr = turns.get(sim);
  if (!rr) turns.set(sim, (rr = new Map()));
  const route = routeConnection(sim.cluster, req.fromNode, req.host, req.port, rr);
  switch (route.kind) {
    case 'unresolved':
      return couldNotResolve(host, req.silent);
    case 'refused':
      return couldNotConnect(host, req.port, 0, req.silent);
    case 'unreachable': {
      // The swarm's time passes while curl waits, as it would for the learner.
      const limit = req.maxTimeSeconds !== undefined ? Math.round(req.maxTimeSeconds * 1000) : undefined;
      const waited = limit !== undefined && limit < NO_ROUTE_MS ? limit : NO_ROUTE_MS;
      hooks.waiting?.();
      try {
        await sleep(waited, signal);
      } catch {
        return { stdout: '', stderr: '', exitCode: 130 };
      }
      return waited === limit ? connectTimedOut(waited, req.silent) : couldNotConnect(host, req.port, waited, req.silent);
    }
    case 'task': {
      const { task } = route;
      const image = findImage(task.spec.ContainerSpec.Image);
      const at = sim.clock.now;
      const epochMs = sim.clock.epochNow();
      const outcome = serve(image, route.targetPort, req.path, epochMs);
      const seq = (sim.cluster.lastServed?.seq ?? 0) + 1;
      if (!('refused' in outcome)) {
        // curl's Host header: the host as typed, with the port unless it is 80.
        const hostHeader = req.port === 80 ? host : `${host}:${req.port}`;
        const request = (sim.cluster.requestsTo.get(task.id) ?? 0) + 1;
        const lines = logLines(image, { source: route.source, path: req.path, host: hostHeader }, outcome, epochMs, request).map((text) => ({ at, text }));
        sim.cluster.served(task, { seq, taskId: task.id, entry: route.entry.hostname, from: req.fromNode, mode: route.mode, at }, lines);
      }
      if ('refused' in outcome) return couldNotConnect(host, req.port, 0, req.silent);
      if ('emptyReply' in outcome) return emptyReply(req.silent);
      const { answer } = outcome;
      return { stdout: req.include ? answer.head + answer.body : answer.body, stderr: '', exitCode: 0 };
    }
  }
}
