// How docker shows an image reference in tables: familiar name, digest dropped when a tag exists.

/** `docker.io/library/redis:7.4.0@sha256:…` → `redis:7.4.0`; untagged digests stay. */
export function displayImage(image: string): string {
  let ref = image.replace(/^docker\.io\/library\//, '').replace(/^docker\.io\//, '');
  const at = ref.indexOf('@');
  if (at >= 0) {
    const name = ref.slice(0, at);
    const lastSlash = name.lastIndexOf('/');
    if (name.slice(lastSlash + 1).includes(':')) ref = name;
  }
  return ref;
}
