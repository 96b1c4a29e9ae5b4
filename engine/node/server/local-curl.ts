// The shell's `curl` in local mode (ShellHost.curl of the server's terminal): the request is
// checked against the swarm as the daemon shows it at that moment (curl-policy.ts), then made
// by the real curl inside the shell's node's network namespace (curl-runner.ts). A refused
// request spawns nothing and prints one line saying why. When an ingress port does not answer
// and the kernel has no IPVS, one more line says why (the routing mesh needs it) after curl's.
import type { SwarmApi } from '../../api/swarm-api.js';
import type { CurlBackend, CurlRequest, CurlResult } from '../../shell/curl-backend.js';
import type { CurlRefusal } from './curl-policy.js';
import { curlArgv, curlTarget } from './curl-policy.js';
import type { CurlRunner } from './curl-runner.js';
import type { LocalCurlText } from './curl-text.js';
import { MANAGED_LABEL } from './guard.js';

export interface LocalCurlOptions {
  /**
   * The nodes whose network namespaces Swarm Lab made (the sandbox's), asked at each request;
   * empty on the learner's own daemon.
   */
  sandboxNodes: () => readonly string[];
  /** The learner's own daemon: every request is refused. */
  scoped: boolean;
  /** The first manager's connection (guarded: it lists Swarm Lab's services only). */
  manager: () => SwarmApi;
  run: CurlRunner;
  /** Whether the kernel has IPVS (/proc/sys/net/ipv4/vs exists). */
  ipvs: () => boolean;
  text: () => LocalCurlText;
  /** Where `ip netns` keeps the nodes' namespaces (default /run/netns). */
  netnsDir?: string;
}

/** Exit code of a refusal: as local mode's other refused lines. */
export const REFUSED_EXIT = 1;

export class LocalCurl implements CurlBackend {
  constructor(private readonly opts: LocalCurlOptions) {}

  private refused(r: CurlRefusal): CurlResult {
    return { stdout: '', stderr: `swarm-lab: ${this.opts.text().refusal(r)}\n`, exitCode: REFUSED_EXIT };
  }

  async curl(req: CurlRequest, signal: AbortSignal): Promise<CurlResult> {
    const sandboxNodes = this.opts.sandboxNodes();
    if (this.opts.scoped || sandboxNodes.length === 0) return this.refused({ kind: 'own-daemon' });
    const api = this.opts.manager();
    // Read now, not remembered: a port published or removed a moment ago counts as it is.
    let nodes, services;
    try {
      [nodes, services] = await Promise.all([api.nodeList(), api.serviceList({ filters: { label: [MANAGED_LABEL] } })]);
    } catch (e) {
      // The daemon went away (or is no manager now): nothing is spawned, and the learner is told.
      return { stdout: '', stderr: `swarm-lab: curl: ${this.opts.text().unreadable(e instanceof Error ? e.message : String(e))}\n`, exitCode: REFUSED_EXIT };
    }
    const verdict = curlTarget(req, { nodes, services }, sandboxNodes);
    if (!verdict.ok) return this.refused(verdict.refusal);
    if (signal.aborted) return { stdout: '', stderr: '', exitCode: 130 };
    const result = await this.opts.run(curlArgv(req, verdict.target, this.opts.netnsDir), signal);
    if (verdict.target.ingress && result.exitCode !== 0 && !signal.aborted && !this.opts.ipvs()) {
      return { ...result, stderr: `${result.stderr}${this.opts.text().noIpvs(req.port)}\n` };
    }
    return result;
  }
}
