// --publish / --publish-add / --publish-rm values (docker/cli opts.PortOpt): the short
// form `[published:]target[/protocol]` with ranges, and the long form
// `published=8080,target=80,protocol=udp,mode=host`.
import type { PortConfig } from '../../../api/types.js';

type Protocol = NonNullable<PortConfig['Protocol']>;
type Mode = NonNullable<PortConfig['PublishMode']>;

function port(text: string, what: string): number {
  if (!/^\d+$/.test(text)) throw new Error(`invalid ${what} port: ${text}`);
  const n = Number(text);
  if (n > 65535) throw new Error(`invalid ${what} port: ${text}`);
  return n;
}

function range(text: string, what: string): [number, number] {
  const [a, b] = text.split('-', 2);
  const start = port(a ?? '', what);
  const end = b === undefined ? start : port(b, what);
  if (end < start) throw new Error(`invalid range specified for ${what} port: ${text}`);
  return [start, end];
}

/** Parses one publish value into the PortConfigs it stands for. Throws with pflag's reason text. */
export function parsePublish(value: string): PortConfig[] {
  if (value.includes('=')) return [parseLongForm(value)];
  let proto: Protocol = 'tcp';
  let spec = value;
  const slash = value.lastIndexOf('/');
  if (slash >= 0) {
    const p = value.slice(slash + 1).toLowerCase();
    if (p !== 'tcp' && p !== 'udp' && p !== 'sctp') throw new Error(`invalid proto: ${p}`);
    proto = p;
    spec = value.slice(0, slash);
  }
  const parts = spec.split(':');
  const targetText = parts[parts.length - 1] ?? '';
  const publishedText = parts.length > 1 ? (parts[parts.length - 2] ?? '') : '';
  const [tStart, tEnd] = range(targetText, 'container');
  const out: PortConfig[] = [];
  if (publishedText === '') {
    for (let t = tStart; t <= tEnd; t++) out.push({ Protocol: proto, TargetPort: t, PublishMode: 'ingress' });
    return out;
  }
  const [pStart, pEnd] = range(publishedText, 'host');
  if (pEnd - pStart !== tEnd - tStart && pEnd !== pStart) {
    throw new Error(`invalid ranges specified for container and host Ports: ${targetText} and ${publishedText}`);
  }
  for (let i = 0; i <= tEnd - tStart; i++) {
    out.push({
      Protocol: proto,
      TargetPort: tStart + i,
      PublishedPort: pEnd === pStart ? pStart : pStart + i,
      PublishMode: 'ingress',
    });
  }
  return out;
}

function parseLongForm(value: string): PortConfig {
  const cfg: PortConfig = { Protocol: 'tcp', PublishMode: 'ingress' };
  for (const field of value.split(',')) {
    const eq = field.indexOf('=');
    if (eq < 0) throw new Error(`invalid field ${field} must be a key=value pair`);
    const key = field.slice(0, eq).toLowerCase();
    const val = field.slice(eq + 1);
    switch (key) {
      case 'protocol':
        if (val !== 'tcp' && val !== 'udp' && val !== 'sctp') throw new Error(`invalid protocol value '${val}'`);
        cfg.Protocol = val;
        break;
      case 'mode':
        if (val !== 'ingress' && val !== 'host') throw new Error(`invalid publish mode value (${val}): must be either 'ingress' or 'host'`);
        cfg.PublishMode = val as Mode;
        break;
      case 'target':
        cfg.TargetPort = port(val, 'target');
        break;
      case 'published':
        cfg.PublishedPort = port(val, 'published');
        break;
      default:
        throw new Error(`invalid field key ${key}`);
    }
  }
  if (cfg.TargetPort === undefined) throw new Error(`missing mandatory field "target"`);
  // Key order as the Go struct serialises: Protocol, TargetPort, PublishedPort, PublishMode.
  const ordered: PortConfig = { Protocol: cfg.Protocol, TargetPort: cfg.TargetPort };
  if (cfg.PublishedPort !== undefined) ordered.PublishedPort = cfg.PublishedPort;
  ordered.PublishMode = cfg.PublishMode;
  return ordered;
}

/** Flag validator for the framework: the reason pflag would print, or undefined. */
export function validatePublish(value: string): string | undefined {
  try {
    parsePublish(value);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}
