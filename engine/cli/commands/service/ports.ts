// --publish / --publish-add / --publish-rm values (docker/cli opts.PortOpt): the short
// form `[published:]target[/protocol]` with ranges, and the long form
// `published=8080,target=80,protocol=udp,mode=host`.
import type { PortConfig } from '../../../api/types.js';

type Protocol = NonNullable<PortConfig['Protocol']>;
type Mode = NonNullable<PortConfig['PublishMode']>;

/** strconv.ParseUint(text, 10, 16): the value, or the reason Go gives. */
function parseUint16(text: string): number | 'invalid syntax' | 'value out of range' {
  if (!/^\d+$/.test(text)) return 'invalid syntax';
  const n = Number(text);
  return n > 65535 ? 'value out of range' : n;
}

/** go-connections' ParsePortRange ("80" or "80-90"); undefined when it fails. */
function portRange(text: string): [number, number] | undefined {
  const parts = text.split('-');
  const start = parseUint16(parts[0] ?? '');
  const end = parts.length === 1 ? start : parseUint16(parts[1] ?? '');
  if (typeof start !== 'number' || typeof end !== 'number' || end < start) return undefined;
  return [start, end];
}

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** docker/cli's PortOpt: long syntax when the value has a `word=word` pair anywhere. */
const LONG_SYNTAX = /\w+=\w+(?:,\w+=\w+)*/;

/** Parses one publish value into the PortConfigs it stands for. Throws with pflag's reason text. */
export function parsePublish(value: string): PortConfig[] {
  if (LONG_SYNTAX.test(value)) return [parseLongForm(value)];
  // go-connections' ParsePortSpec: [ip:][hostPort:]containerPort[/proto], texts included.
  const parts = value.split(':');
  const n = parts.length;
  const ip = n >= 3 ? parts.slice(0, n - 2).join(':') : '';
  const publishedText = n >= 2 ? (parts[n - 2] ?? '') : '';
  const slashParts = (parts[n - 1] ?? '').split('/');
  const targetText = slashParts[0] ?? '';
  let proto = slashParts.length > 1 && slashParts[1] !== '' ? (slashParts[1] ?? '') : 'tcp';
  if (targetText === '') proto = '';
  if (ip !== '' && !IPV4.test(ip) && !/^\[[0-9a-fA-F:.]+\]$/.test(ip)) throw new Error(`invalid IP address: ${ip}`);
  if (targetText === '') throw new Error(`no port specified: ${value}<empty>`);
  const target = portRange(targetText);
  if (!target) throw new Error(`invalid containerPort: ${targetText}`);
  const published = publishedText === '' ? undefined : portRange(publishedText);
  if (publishedText !== '' && !published) throw new Error(`invalid hostPort: ${publishedText}`);
  const [tStart, tEnd] = target;
  if (published && published[1] - published[0] !== tEnd - tStart && tEnd !== tStart) {
    throw new Error(`invalid ranges specified for container and host Ports: ${targetText} and ${publishedText}`);
  }
  const protocol = proto.toLowerCase();
  if (protocol !== 'tcp' && protocol !== 'udp' && protocol !== 'sctp') throw new Error(`invalid proto: ${proto}`);
  if (ip !== '') throw new Error('hostip is not supported');
  const out: PortConfig[] = [];
  for (let i = 0; i <= tEnd - tStart; i++) {
    const cfg: PortConfig = { Protocol: protocol as Protocol, TargetPort: tStart + i };
    const pub = published ? (published[1] === published[0] ? published[0] : published[0] + i) : 0;
    // 0 means "let swarm pick", and Go's omitempty leaves it out of the spec.
    if (pub !== 0) cfg.PublishedPort = pub;
    cfg.PublishMode = 'ingress';
    out.push(cfg);
  }
  return out;
}

function parseLongForm(value: string): PortConfig {
  const cfg: PortConfig = { Protocol: 'tcp', PublishMode: 'ingress' };
  const uint16 = (what: string, val: string): number => {
    const n = parseUint16(val);
    if (typeof n !== 'number') throw new Error(`invalid ${what} port (${val}): value must be an integer: ${n}`);
    return n;
  };
  for (const field of value.split(',')) {
    // docker lowercases the whole field, values included.
    const lower = field.toLowerCase();
    const eq = lower.indexOf('=');
    if (eq <= 0) throw new Error(`invalid field: ${field}`);
    const key = lower.slice(0, eq);
    const val = lower.slice(eq + 1);
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
        cfg.TargetPort = uint16('target', val);
        break;
      case 'published':
        cfg.PublishedPort = uint16('published', val);
        break;
      default:
        throw new Error(`invalid field key: ${key}`);
    }
  }
  if (!cfg.TargetPort) throw new Error(`missing mandatory field 'target'`);
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
