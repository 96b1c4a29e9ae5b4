// `self` as a node reference means the node this CLI is connected to (docker's node.Reference).
import type { SwarmApi } from '../../../api/swarm-api.js';

export async function nodeReference(api: SwarmApi, ref: string): Promise<string> {
  if (ref !== 'self') return ref;
  return (await api.info()).Swarm.NodeID;
}
