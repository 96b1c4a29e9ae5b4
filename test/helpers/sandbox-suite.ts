// The real 3-node sandbox for one test suite: leased for the suite's whole run (see
// engine/node/docker/sandbox.ts), its swarm reset to how it comes up before and after. Without
// the sandbox the suite is skipped with a loud message naming what is missing; under CI=true
// the lease brings it up, and its absence is an error.
import type { RealSwarm } from '../../engine/node/docker/index.js';
import { realSwarmHost } from '../../engine/node/docker/index.js';
import { leaseSandbox } from '../../engine/node/docker/sandbox.js';

const CI = process.env.CI === 'true';

export interface SuiteSandbox {
  host: RealSwarm;
  /** Resets the swarm again and gives the sandbox back. */
  release(): Promise<void>;
}

/** No services, every node active: the swarm as the sandbox comes up. */
export async function resetSandboxSwarm(swarm: RealSwarm): Promise<void> {
  const api = swarm.api('manager1')!;
  for (const s of await api.serviceList()) await api.serviceDelete(s.ID);
  for (const n of await api.nodeList()) {
    if (n.Spec.Availability !== 'active') await api.nodeUpdate(n.ID, n.Version.Index, { ...n.Spec, Availability: 'active' });
  }
}

/** The sandbox for `suite`, reset; undefined (and said loudly) when it cannot be had outside CI. */
export async function takeSandbox(suite: string): Promise<SuiteSandbox | undefined> {
  const lease = await leaseSandbox({ bringUp: CI });
  if (!lease.ok) {
    if (CI) throw new Error(`${suite}: CI=true but the sandbox is unavailable: ${lease.reason}`);
    console.warn(`\n*** ${suite} SKIPPED: ${lease.reason} ***\n`);
    return undefined;
  }
  try {
    const host = await realSwarmHost({ sandbox: true });
    await resetSandboxSwarm(host);
    return {
      host,
      release: async () => {
        try {
          await resetSandboxSwarm(host);
        } finally {
          lease.release();
        }
      },
    };
  } catch (e) {
    lease.release();
    throw e;
  }
}
