// Topology specs: which machines exist and which are managers.
//   "manager1,worker1,worker2"       names; a name starting with "manager" is a manager
//   "manager1,db1:manager,web1"      explicit roles
//   "3m5w"                           shorthand: manager1..3, worker1..5
// The first manager is the leader. Addresses follow the tutorial (192.168.99.100 up).
import type { NodeRole } from '../api/types.js';

export interface MachineSpec {
  hostname: string;
  role: NodeRole;
  addr: string;
}

export const DEFAULT_TOPOLOGY = 'manager1,worker1,worker2';

export class TopologyError extends Error {}

export function parseTopology(spec: string = DEFAULT_TOPOLOGY): MachineSpec[] {
  const text = spec.trim();
  const short = /^(\d+)m(?:(\d+)w)?$/.exec(text);
  let entries: { hostname: string; role: NodeRole }[];
  if (short) {
    const m = Number(short[1]);
    const w = Number(short[2] ?? 0);
    if (m < 1 || m + w > 5000) throw new TopologyError(`topology ${spec}: need 1 to 5000 nodes with at least one manager`);
    entries = [
      ...Array.from({ length: m }, (_, i) => ({ hostname: `manager${i + 1}`, role: 'manager' as const })),
      ...Array.from({ length: w }, (_, i) => ({ hostname: `worker${i + 1}`, role: 'worker' as const })),
    ];
  } else {
    entries = text.split(',').map((part) => {
      const [name = '', roleText] = part.trim().split(':');
      if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i.test(name)) throw new TopologyError(`topology ${spec}: bad node name "${name}"`);
      const role = roleText ?? (name.startsWith('manager') ? 'manager' : 'worker');
      if (role !== 'manager' && role !== 'worker') throw new TopologyError(`topology ${spec}: bad role "${roleText}"`);
      return { hostname: name, role };
    });
  }
  const names = new Set(entries.map((e) => e.hostname));
  if (names.size !== entries.length) throw new TopologyError(`topology ${spec}: node names must be unique`);
  if (!entries.some((e) => e.role === 'manager')) throw new TopologyError(`topology ${spec}: needs at least one manager`);
  // Managers first so the first one is the leader; otherwise keep the given order.
  return entries.map((e, i) => ({ ...e, addr: addressFor(i) }));
}

function addressFor(i: number): string {
  if (i < 150) return `192.168.99.${100 + i}`;
  const j = i - 150;
  return `192.168.${100 + Math.floor(j / 250)}.${1 + (j % 250)}`;
}
