// The slice of distribution/reference the CLI relies on: tagging an image with :latest,
// pinning it to a digest, and the familiar forms the ls/ps tables display.

export interface ImageRef {
  /** Repository in familiar form ("redis", "foo/bar", "localhost:5000/x"). */
  name: string;
  tag?: string;
  digest?: string;
}

const DEFAULT_DOMAINS = ['docker.io/', 'index.docker.io/'];

/** Parses `[domain/]path[:tag][@digest]`; undefined when it is not a valid-looking reference. */
export function parseImageRef(image: string): ImageRef | undefined {
  if (image === '' || image !== image.trim() || /\s/.test(image)) return undefined;
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!/^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/.test(digest)) return undefined;
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!/^[\w][\w.-]{0,127}$/.test(tag)) return undefined;
  }
  const parts = rest.split('/');
  const pathParts = parts.length > 1 && isDomain(parts[0] ?? '') ? parts.slice(1) : parts;
  if (pathParts.some((p) => !/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/.test(p))) return undefined;
  // Familiar form: no default domain, and no `library/` on an official image, whether the
  // domain was written out or implied ("library/redis" is "docker.io/library/redis").
  let name = rest;
  const defaultDomain = DEFAULT_DOMAINS.find((d) => name.startsWith(d));
  if (defaultDomain !== undefined) name = name.slice(defaultDomain.length);
  if ((defaultDomain !== undefined || pathParts === parts) && name.startsWith('library/') && name.split('/').length === 2) {
    name = name.slice('library/'.length);
  }
  const ref: ImageRef = { name };
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return ref;
}

function isDomain(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === 'localhost';
}

export function formatImageRef(ref: ImageRef): string {
  return ref.name + (ref.tag !== undefined ? ':' + ref.tag : '') + (ref.digest !== undefined ? '@' + ref.digest : '');
}

/** The client's imageWithTagString: a bare name gets ":latest"; tagged or pinned refs are kept. */
export function imageWithTag(image: string): string {
  const ref = parseImageRef(image);
  if (!ref) return image;
  if (ref.tag === undefined && ref.digest === undefined) ref.tag = 'latest';
  return formatImageRef(ref);
}

/** The client's imageWithDigestString: pins a not-yet-pinned ref, keeping its tag; undefined if already pinned. */
export function imageWithDigest(image: string, digest: string): string | undefined {
  const ref = parseImageRef(image);
  if (!ref || ref.digest !== undefined) return undefined;
  ref.digest = digest;
  return formatImageRef(ref);
}

/** Image as `service ls`, `service ps` and `node ps` show it: familiar name, digest stripped when there is a tag. */
export function displayImage(image: string): string {
  // A table shows the same few images on every row: parse each once.
  let shown = displayed.get(image);
  if (shown === undefined) {
    const ref = parseImageRef(image);
    shown = !ref || ref.tag === undefined ? image : `${ref.name}:${ref.tag}`;
    if (displayed.size > 1000) displayed.clear();
    displayed.set(image, shown);
  }
  return shown;
}

const displayed = new Map<string, string>();

/** Image as `docker ps` shows it: familiar name, digest stripped even when there is no tag. */
export function displayContainerImage(image: string): string {
  const ref = parseImageRef(image);
  if (!ref) return image;
  return ref.tag === undefined ? ref.name : `${ref.name}:${ref.tag}`;
}

/** The warning the Go client adds when the registry lookup fails (printed with Println: blank line after). */
export function digestWarning(image: string): string {
  return (
    `image ${image} could not be accessed on a registry to record\n` +
    `its digest. Each node will access ${image} independently,\n` +
    `possibly leading to different nodes running different\n` +
    `versions of the image.\n`
  );
}
