// Digest pinning as the Go client does it inside ServiceCreate/ServiceUpdate: tag the image
// (":latest" when bare), then ask the registry (distribution inspect) for its digest. On
// success the spec pins `image:tag@digest` and records the manifest's platforms; on failure
// the spec keeps the tag and the client appends the "could not be accessed" warning.
import type { SwarmApi } from '../../../api/swarm-api.js';
import type { ServiceSpec } from '../../../api/types.js';
import { digestWarning, imageWithDigest, imageWithTag } from '../../format/image-ref.js';

/** Always applied by the client, even without a registry query. */
export function tagSpecImage(spec: ServiceSpec): void {
  spec.TaskTemplate.ContainerSpec.Image = imageWithTag(spec.TaskTemplate.ContainerSpec.Image);
}

/** Pins the spec's image to a digest; returns the warning to print when the registry could not be asked. */
export async function resolveSpecImage(api: SwarmApi, spec: ServiceSpec): Promise<string | undefined> {
  const image = spec.TaskTemplate.ContainerSpec.Image;
  let inspect;
  try {
    inspect = await api.distributionInspect(image);
  } catch {
    return digestWarning(image);
  }
  const pinned = imageWithDigest(image, inspect.Descriptor.digest);
  if (pinned !== undefined) spec.TaskTemplate.ContainerSpec.Image = pinned;
  if (inspect.Platforms.length > 0) {
    spec.TaskTemplate.Placement ??= {};
    // swarmkit#2294: manifests say "arm" where nodes say "armv7l", so the client drops it.
    spec.TaskTemplate.Placement.Platforms = inspect.Platforms.map((p) => {
      const arch = p.Architecture?.toLowerCase() === 'arm' ? '' : (p.Architecture ?? '');
      return { Architecture: arch, OS: p.OS ?? '' };
    });
  }
  return undefined;
}
