// A lesson's start state planned and applied on the REAL 3-node sandbox, through the local
// server's terminal over dockerode (the simulator version is test/local-start-state.test.ts):
// the plan lists exactly the Swarm Lab service and makes no change; the reset removes only
// it, runs the setup line, and the learner's own service (no label) is still there.
// Needs root, dockerd and the sandbox (npm run sandbox:up); without them it skips and says
// which is missing, except under CI=true, where it brings the sandbox up itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lessonById } from '../content/lessons/index.js';
import type { RealSwarm } from '../engine/node/docker/index.js';
import type { EngineCall } from '../engine/node/server/call-log.js';
import { recordCalls } from '../engine/node/server/call-log.js';
import type { LocalBackend } from '../engine/node/server/backend.js';
import { MANAGED_LABEL_KEY } from '../engine/node/server/guard.js';
import type { ServerFrame } from '../engine/node/server/protocol.js';
import type { StartPlan, StartResult } from '../engine/node/server/terminal.js';
import { TerminalSession } from '../engine/node/server/terminal.js';
import type { SuiteSandbox } from './helpers/sandbox-suite.js';
import { takeSandbox } from './helpers/sandbox-suite.js';

const WRITES = new Set<string>(['serviceCreate', 'serviceUpdate', 'serviceDelete', 'nodeUpdate', 'nodeRemove']);
const setup = lessonById('drain-node')!.setup;

let sandbox: SuiteSandbox | undefined;
let host: RealSwarm | undefined;

beforeAll(async () => {
  sandbox = await takeSandbox('local-start-state-sandbox');
  host = sandbox?.host;
}, 900_000);

afterAll(() => sandbox?.release(), 120_000);

describe('a lesson start state on the real sandbox', () => {
  it('plans only the managed service, removes only it, runs the setup', async (ctx) => {
    if (!host) return ctx.skip();
    const swarm = host;
    const calls: EngineCall[] = [];
    const backend: LocalBackend = { ...swarm, api: (h) => { const a = swarm.api(h); return a && recordCalls(a, calls); } };
    const frames: ServerFrame[] = [];
    const term = new TerminalSession(backend, { scoped: false }, (f) => frames.push(f));
    let id = 0;
    const ask = async (frame: { t: 'plan' | 'reset' | 'run'; line?: string }): Promise<unknown> => {
      const fid = ++id;
      if (frame.t === 'run') await term.handle({ t: 'run', id: fid, line: frame.line!, cols: 120 });
      else await term.handle({ t: frame.t, id: fid, setup });
      const f = frames.find((x) => 'id' in x && x.id === fid && (x.t === 'result' || x.t === 'error' || x.t === 'done'));
      if (f?.t === 'error') throw new Error(f.message);
      return f?.t === 'result' ? f.value : f?.t === 'done' ? f.code : undefined;
    };
    const raw = swarm.api('manager1')!;
    expect(await ask({ t: 'run', line: 'docker service create --detach --name web redis:7.4.0' })).toBe(0);
    await raw.serviceCreate({ Name: 'mine', Labels: {}, TaskTemplate: { ContainerSpec: { Image: 'redis:7.4.0' }, ForceUpdate: 0 }, Mode: { Replicated: { Replicas: 1 } } });
    const web = (await raw.serviceInspect('web')).ID;

    calls.length = 0;
    const plan = (await ask({ t: 'plan' })) as StartPlan;
    expect(plan).toEqual({ applied: false, remove: ['web'], activate: [], run: setup, skipped: [] });
    expect(calls.filter((c) => WRITES.has(c.method))).toEqual([]);

    calls.length = 0;
    const result = (await ask({ t: 'reset' })) as StartResult;
    expect(result).toMatchObject({ removed: ['web'], skipped: [], failed: [] });
    const deletes = calls.filter((c) => c.method === 'serviceDelete');
    expect(deletes.map((c) => c.args[0])).toEqual([web]);
    const services = await raw.serviceList();
    expect(services.map((s) => s.Spec.Name).sort()).toEqual(['mine', 'redis']);
    expect(services.find((s) => s.Spec.Name === 'redis')!.Spec.Labels?.[MANAGED_LABEL_KEY]).toBe('true');
    expect(((await ask({ t: 'plan' })) as StartPlan).applied).toBe(true);
    term.close();
  }, 120_000);
});
