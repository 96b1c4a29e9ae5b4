// service inspect --pretty's Resources block, which formats sizes and CPUs with the shared
// go-units helpers (format/units.ts). Expected text: CLI 28.2.2 + dockerd 20.10 for
// `service create --limit-cpu 0.5 --limit-memory 512M --reserve-cpu 0.25 --reserve-memory 1.5G`.
import { expect, test } from 'vitest';
import { prettyService } from '../engine/cli/commands/service/pretty.js';
import { newSwarm, serviceSpec } from './helpers/sim.js';

test('Resources: CPUs as decimals, memory in binary units', async () => {
  const { api } = newSwarm();
  const spec = serviceSpec('res');
  spec.TaskTemplate.Resources = {
    Reservations: { NanoCPUs: 250_000_000, MemoryBytes: 1.5 * 2 ** 30 },
    Limits: { NanoCPUs: 500_000_000, MemoryBytes: 512 * 2 ** 20 },
  };
  await api.serviceCreate(spec);
  const text = prettyService(await api.serviceInspect('res', { insertDefaults: true }), Date.now());
  expect(text).toContain('\nResources:\n Reservations:\n  CPU:\t\t0.25\n  Memory:\t1.5GiB\n Limits:\n  CPU:\t\t0.5\n  Memory:\t512MiB\nEndpoint Mode:\tvip\n');
});
