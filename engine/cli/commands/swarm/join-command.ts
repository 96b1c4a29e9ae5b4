// The "To add a worker/manager…" block shared by swarm init and swarm join-token.
import type { SwarmApi } from '../../../api/swarm-api.js';

export async function joinCommandText(api: SwarmApi, role: 'worker' | 'manager'): Promise<string> {
  const [swarm, info] = await Promise.all([api.swarmInspect(), api.info()]);
  const node = await api.nodeInspect(info.Swarm.NodeID);
  if (!node.ManagerStatus) return '';
  const token = role === 'worker' ? swarm.JoinTokens.Worker : swarm.JoinTokens.Manager;
  return (
    `To add a ${role} to this swarm, run the following command:\n\n` +
    `    docker swarm join --token ${token} ${node.ManagerStatus.Addr}\n\n`
  );
}
