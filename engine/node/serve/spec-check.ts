// What Go's encoding/json does when dockerd decodes a request body into its structs: a value
// of the wrong JSON type is a 400 naming the field, unknown fields are ignored, nulls become
// zero values. The simulator trusts its input's types, so it only ever sees decoded bodies.
import { ApiError } from '../../api/swarm-api.js';

/** A Go type as JSON sees it. */
export type GoType =
  | 'string'
  | 'bool'
  | 'int'
  | 'uint'
  | 'float'
  | 'any'
  | { struct: string; fields: Record<string, GoType> }
  | { slice: GoType }
  | { map: GoType };

const goName = (t: GoType): string => {
  if (typeof t === 'string') return { string: 'string', bool: 'bool', int: 'int64', uint: 'uint64', float: 'float64', any: 'interface {}' }[t];
  if ('struct' in t) return `swarm.${t.struct}`;
  if ('slice' in t) return `[]${goName(t.slice)}`;
  return `map[string]${goName(t.map)}`;
};

const jsonKind = (v: unknown): string => {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  return typeof v === 'object' ? 'object' : typeof v;
};

/** Go's UnmarshalTypeError text; `path` is the struct field path (ServiceSpec.TaskTemplate.…). */
const mismatch = (v: unknown, t: GoType, path: string): ApiError => {
  const what = typeof v === 'number' && !Number.isInteger(v) ? `number ${v}` : jsonKind(v) === 'bool' ? 'bool' : jsonKind(v);
  const where = path.includes('.') ? `Go struct field ${path}` : 'Go value';
  return new ApiError(400, `json: cannot unmarshal ${what} into ${where} of type ${goName(t)}`);
};

/** Go's zero value of `t`, where a JSON null stands in a slice or map. */
function zero(t: GoType): unknown {
  if (t === 'string') return '';
  if (t === 'bool') return false;
  if (t === 'int' || t === 'uint' || t === 'float') return 0;
  if (t === 'any') return null;
  if ('struct' in t) return {};
  return null;
}

/**
 * The value as dockerd's struct would hold it after decoding, or dockerd's 400 for the first
 * value whose JSON type does not fit `t`. Like encoding/json: keys match field names in any
 * case and come out spelled as the field; unknown keys are dropped; a null field is as if
 * absent; a null in a slice or map is the element's zero value.
 */
export function decode(v: unknown, t: GoType, path: string): unknown {
  if (t === 'any') return v;
  if (typeof t === 'string') {
    const ok =
      t === 'string' ? typeof v === 'string'
      : t === 'bool' ? typeof v === 'boolean'
      : typeof v === 'number' && (t === 'float' || (Number.isSafeInteger(v) && (t === 'int' || v >= 0)));
    if (!ok) throw mismatch(v, t, path);
    return v;
  }
  if ('struct' in t) {
    if (jsonKind(v) !== 'object') throw mismatch(v, t, path);
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(v as Record<string, unknown>)) {
      const field = Object.keys(t.fields).find((k) => k.toLowerCase() === key.toLowerCase());
      if (field === undefined) continue;
      if (value === null) {
        delete out[field];
        continue;
      }
      out[field] = decode(value, t.fields[field]!, `${path}.${field}`);
    }
    return out;
  }
  if ('slice' in t) {
    if (!Array.isArray(v)) throw mismatch(v, t, path);
    return v.map((item) => (item === null ? zero(t.slice) : decode(item, t.slice, path)));
  }
  if (jsonKind(v) !== 'object') throw mismatch(v, t, path);
  const out: Record<string, unknown> = {};
  for (const [k, item] of Object.entries(v as Record<string, unknown>)) out[k] = item === null ? zero(t.map) : decode(item, t.map, path);
  return out;
}

const labels: GoType = { map: 'string' };
const updateConfig: GoType = {
  struct: 'UpdateConfig',
  fields: { Parallelism: 'uint', Delay: 'int', FailureAction: 'string', Monitor: 'int', MaxFailureRatio: 'float', Order: 'string' },
};

export const SERVICE_SPEC: GoType = {
  struct: 'ServiceSpec',
  fields: {
    Name: 'string',
    Labels: labels,
    TaskTemplate: {
      struct: 'TaskSpec',
      fields: {
        ContainerSpec: {
          struct: 'ContainerSpec',
          fields: {
            Image: 'string',
            Labels: labels,
            Command: { slice: 'string' },
            Args: { slice: 'string' },
            Hostname: 'string',
            Env: { slice: 'string' },
            Dir: 'string',
            User: 'string',
            Init: 'bool',
            DNSConfig: { struct: 'DNSConfig', fields: { Nameservers: { slice: 'string' }, Search: { slice: 'string' }, Options: { slice: 'string' } } },
            TTY: 'bool',
            StopGracePeriod: 'int',
            Isolation: 'string',
          },
        },
        Resources: {
          struct: 'ResourceRequirements',
          fields: {
            Limits: { struct: 'Limit', fields: { NanoCPUs: 'int', MemoryBytes: 'int', Pids: 'int' } },
            Reservations: { struct: 'Resources', fields: { NanoCPUs: 'int', MemoryBytes: 'int' } },
          },
        },
        RestartPolicy: { struct: 'RestartPolicy', fields: { Condition: 'string', Delay: 'int', MaxAttempts: 'uint', Window: 'int' } },
        Placement: {
          struct: 'Placement',
          fields: {
            Constraints: { slice: 'string' },
            Preferences: { slice: 'any' },
            MaxReplicas: 'uint',
            Platforms: { slice: { struct: 'Platform', fields: { Architecture: 'string', OS: 'string' } } },
          },
        },
        ForceUpdate: 'uint',
        Runtime: 'string',
      },
    },
    Mode: {
      struct: 'ServiceMode',
      fields: {
        Replicated: { struct: 'ReplicatedService', fields: { Replicas: 'uint' } },
        Global: { struct: 'GlobalService', fields: {} },
        ReplicatedJob: { struct: 'ReplicatedJob', fields: { MaxConcurrent: 'uint', TotalCompletions: 'uint' } },
        GlobalJob: { struct: 'GlobalJob', fields: {} },
      },
    },
    UpdateConfig: updateConfig,
    RollbackConfig: updateConfig,
    EndpointSpec: {
      struct: 'EndpointSpec',
      fields: {
        Mode: 'string',
        Ports: {
          slice: {
            struct: 'PortConfig',
            fields: { Name: 'string', Protocol: 'string', TargetPort: 'uint', PublishedPort: 'uint', PublishMode: 'string' },
          },
        },
      },
    },
  },
};

export const NODE_SPEC: GoType = {
  struct: 'NodeSpec',
  fields: { Name: 'string', Labels: labels, Role: 'string', Availability: 'string' },
};

export const SWARM_INIT_REQUEST: GoType = {
  struct: 'InitRequest',
  fields: { ListenAddr: 'string', AdvertiseAddr: 'string', DataPathAddr: 'string', ForceNewCluster: 'bool', Spec: 'any', AutoLockManagers: 'bool', Availability: 'string' },
};

export const SWARM_JOIN_REQUEST: GoType = {
  struct: 'JoinRequest',
  fields: { ListenAddr: 'string', AdvertiseAddr: 'string', DataPathAddr: 'string', RemoteAddrs: { slice: 'string' }, JoinToken: 'string', Availability: 'string' },
};

/** A request body decoded into `t`; a `null` body is the zero struct, as Go leaves it. */
export function asObject(v: unknown, t: GoType & { struct: string }): Record<string, unknown> {
  return v === null ? {} : (decode(v, t, t.struct) as Record<string, unknown>);
}
