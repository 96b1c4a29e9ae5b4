// Terminal lines of local-mode-security.md's row X1 (and N1/N2 as typed commands): docker
// commands local mode must answer "not available in local mode" without calling the Engine.
// Shared by the command table's unit test and the running server's test. Also: random Go
// templates for the --format fuzz (test/fuzz.test.ts).
import fc from 'fast-check';

export const X1_LINES: readonly string[] = [
  'docker run -v /:/host --privileged redis:7.4.0',
  'docker exec -it abc sh',
  'docker cp abc:/etc/passwd .',
  'docker build .',
  'docker pull x/y',
  'docker load -i x.tar',
  'docker plugin install evil/plugin',
  'docker swarm leave --force',
  'docker swarm init --force-new-cluster',
  'docker swarm update --autolock',
  'docker secret create s -',
  'docker network create -d host x',
  'docker volume create --opt device=/ x',
  'docker -H tcp://1.2.3.4 ps',
  'docker --config /tmp ps',
  'docker context use x',
  'docker system prune -af',
  'docker node promote worker1',
  'docker node rm worker2',
  'docker node update --role manager worker1',
  'docker swarm join-token manager',
  'docker swarm join-token --rotate worker',
  'docker service create --mount type=bind,source=/,target=/host redis:7.4.0',
  'docker service update --cap-add ALL redis',
  'docker service create redis:7.4.0 sh -c id',
];

/**
 * curl lines local mode refuses from their words alone (curl-policy.ts checkCurlWords): methods
 * and bodies, files, other schemes, ports no service of ours may publish, unbounded -m,
 * over-long or strange paths. None may reach the daemon or spawn curl.
 */
export const CURL_REFUSED_LINES: readonly string[] = [
  'curl -X POST http://localhost:8080/',
  'curl -d a=1 localhost:8080',
  'curl -o /etc/cron.d/x localhost:8080',
  'curl -K /root/.curlrc localhost:8080',
  'curl --unix-socket /run/sw3/manager1/docker.sock http://localhost/v1.41/services',
  'curl @/etc/passwd',
  'curl file:///etc/shadow',
  'curl http://localhost:2377/',
  'curl worker1:7946',
  'curl 198.18.0.10:22',
  'curl -m 99999 localhost:8080',
  `curl localhost:8080/${'a'.repeat(300)}`,
  'curl "localhost:8080/%0"',
  'curl localhost:8080 worker1:8080',
];

// ------------------------------------------------------------------ Go templates (--format)

/**
 * Random Go templates for the `--format` fuzz: fields that exist on some context and fields that
 * exist on none, every text/template builtin and docker template function with right and wrong
 * arities and argument types, printf with every verb, flags, widths and precisions, literals of
 * every kind, pipelines, parenthesised pipelines, variables and nested if/with/range/else/end.
 * The arbitraries never produce the words a leak would show (undefined, NaN, null, Infinity).
 */
export const TEMPLATE_FIELDS: readonly string[] = [
  '.', '.ID', '.Name', '.Nope', '.Self', '.Hostname', '.Status', '.Availability', '.ManagerStatus', '.EngineVersion',
  '.Mode', '.Replicas', '.Image', '.Ports', '.Node', '.DesiredState', '.CurrentState', '.Error', '.Labels', '.Header',
  '.Version', '.Version.Index', '.CreatedAt', '.UpdatedAt', '.CreatedAt.Year', '.Spec', '.Spec.Name', '.Spec.Role',
  '.Spec.Labels', '.Spec.Labels.foo', '.Spec.Availability', '.Spec.Mode', '.Spec.Mode.Replicated.Replicas',
  '.Spec.Mode.Global', '.Spec.Mode.Global.X', '.Spec.TaskTemplate.ContainerSpec.Image',
  '.Spec.TaskTemplate.ContainerSpec.Args', '.Spec.TaskTemplate.Placement.Platforms', '.Spec.UpdateConfig',
  '.Spec.UpdateConfig.Delay', '.Spec.UpdateConfig.MaxFailureRatio', '.Spec.EndpointSpec', '.PreviousSpec',
  '.PreviousSpec.Name', '.UpdateStatus', '.UpdateStatus.State', '.Endpoint', '.Endpoint.Ports', '.Endpoint.VirtualIPs',
  '.ServiceStatus', '.Description', '.Description.Hostname', '.Description.Engine.Plugins', '.Description.TLSInfo',
  '.Description.Resources.NanoCPUs', '.Status.State', '.Status.Addr', '.ManagerStatus.Leader', '.ManagerStatus.Addr',
  '.Client', '.Client.Version', '.Client.APIVersion', '.Client.ApiVersion', '.Client.Platform', '.Client.Platform.Name',
  '.Server', '.Server.Version', '.Server.APIVersion', '.Server.ApiVersion', '.Server.Components', '.Server.Experimental',
  '.Swarm', '.Swarm.NodeID', '.Swarm.LocalNodeState', '.Swarm.Cluster', '.Swarm.Cluster.Spec.Dispatcher.HeartbeatPeriod',
  '.Swarm.RemoteManagers', '.NCPU', '.MemTotal', '.Runtimes', '.RegistryConfig', '.RegistryConfig.Mirrors', '.Warnings',
  '.ClientInfo', '.ClientInfo.Plugins', '.ClientInfo.clientVersion', '.DriverStatus', '.Info', '.HTTPProxy', '.HttpProxy',
  '.MarshalJSON', '.FullHeader', '.Label', '$', '$.ID', '$x', '$x.ID', '$i', '$v',
];

export const TEMPLATE_FUNCS: readonly string[] = [
  'json', 'join', 'split', 'lower', 'upper', 'title', 'truncate', 'pad', 'printf', 'print', 'println', 'index', 'len',
  'slice', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'and', 'or', 'not', 'html', 'js', 'urlquery', 'call',
];

/** Literals of every kind Go's parser takes; rarer, the ones it rejects (the whole template then fails to parse). */
const LITERALS: readonly string[] = [
  '0', '1', '-1', '2', '3', '42', '-7', '99999999', '9223372036854775807', '-9223372036854775808', '0x1F', '-0x10', '0o17',
  '017', '0b101', '1_000', '1.5', '-0.25', '.5', '1e3', '1e21', '1e-7', '0x1p-2', '2i', '1+2i', "'a'", "'\\n'", 'true',
  'false', 'nil', '""', '"a"', '"-"', '","', '" "', '"x y"', '"a-b-c"', '"\\t"', '"\\x41"', '"\\xff"', '"\\u00e9"',
  '"日本"', '"%d"', '"%v %s"', '"<&>"', '`raw`', '`a"b`',
];
const BAD_LITERALS: readonly string[] = ['18446744073709551615', '99999999999999999999', '08', '1e999', "'ab'", '"\\q"', '"unterminated'];
const literal = fc.oneof({ weight: 30, arbitrary: fc.constantFrom(...LITERALS) }, { weight: 1, arbitrary: fc.constantFrom(...BAD_LITERALS) });

/** How many arguments each function takes (min, max), to call it right more often than not. */
const ARITY: Record<string, [number, number]> = {
  json: [1, 1], join: [2, 2], split: [2, 2], lower: [1, 1], upper: [1, 1], title: [1, 1], truncate: [2, 2], pad: [3, 3],
  printf: [1, 4], print: [0, 3], println: [0, 3], index: [1, 3], len: [1, 1], slice: [1, 3], eq: [2, 3], ne: [2, 2],
  lt: [2, 2], le: [2, 2], gt: [2, 2], ge: [2, 2], and: [1, 3], or: [1, 3], not: [1, 1], html: [1, 2], js: [1, 2],
  urlquery: [1, 2], call: [1, 2],
};

const VERBS = 'vvvdsqxXotTbcUeEfgGpw%!z';

const printfFormat: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      fc.constantFrom('', ' ', '-', ':', 'a', '|', '日'),
      fc
        .tuple(
          fc.constantFrom('', '', '+', '-', '#', ' ', '0', '-0', '+#'),
          fc.constantFrom('', '', '5', '10', '*', '99999999', '[1]', '[3]'),
          fc.constantFrom('', '', '.2', '.0', '.*', '.'),
          fc.constantFrom(...VERBS),
        )
        .map(([flags, width, prec, verb]) => `%${flags}${width}${prec}${verb}`),
    ),
    { maxLength: 4 },
  )
  .map((parts) => JSON.stringify(parts.join('')));

function operand(depth: number): fc.Arbitrary<string> {
  const leaves = [fc.constantFrom(...TEMPLATE_FIELDS), literal, printfFormat];
  if (depth <= 0) return fc.oneof(...leaves);
  return fc.oneof({ weight: 3, arbitrary: fc.oneof(...leaves) }, { weight: 1, arbitrary: pipeline(depth - 1).map((p) => `(${p})`) }, { weight: 1, arbitrary: pipeline(depth - 1).map((p) => `(${p}).ID`) });
}

function command(depth: number): fc.Arbitrary<string> {
  const call = (f: string, [min, max]: [number, number]) => fc.array(operand(depth), { minLength: min, maxLength: max }).map((args) => [f, ...args].join(' '));
  return fc.oneof(
    { weight: 2, arbitrary: operand(depth) },
    { weight: 4, arbitrary: fc.constantFrom(...TEMPLATE_FUNCS).chain((f) => call(f, ARITY[f]!)) },
    { weight: 1, arbitrary: fc.constantFrom(...TEMPLATE_FUNCS).chain((f) => call(f, [0, 4])) },
    { weight: 2, arbitrary: fc.tuple(printfFormat, fc.array(operand(depth), { maxLength: 3 })).map(([f, args]) => ['printf', f, ...args].join(' ')) },
  );
}

function pipeline(depth: number): fc.Arbitrary<string> {
  // Later stages get the previous value as their last argument: one argument fewer.
  const stage = fc.constantFrom(...TEMPLATE_FUNCS).chain((f) => {
    const [min, max] = ARITY[f]!;
    return fc.array(operand(0), { minLength: Math.max(min - 1, 0), maxLength: Math.max(max - 1, 0) }).map((args) => [f, ...args].join(' '));
  });
  return fc.tuple(command(depth), fc.array(stage, { maxLength: 2 })).map(([first, rest]) => [first, ...rest].join(' | '));
}

const text = fc.oneof({ weight: 12, arbitrary: fc.constantFrom('', ' ', '-', ',', 'x', '|', '\\t', '\\n', "'", '}') }, { weight: 1, arbitrary: fc.constant('{') });

function body(depth: number, inRange: boolean): fc.Arbitrary<string> {
  const action = fc.oneof(
    { weight: 4, arbitrary: pipeline(1).map((p) => `{{${p}}}`) },
    { weight: 1, arbitrary: pipeline(1).map((p) => `{{$x := ${p}}}`) },
    { weight: 1, arbitrary: pipeline(0).map((p) => `{{- ${p} -}}`) },
    { weight: inRange ? 1 : 0, arbitrary: fc.constantFrom('{{break}}', '{{continue}}') },
  );
  const parts: fc.Arbitrary<string>[] = [text, action];
  if (depth > 0) parts.push(control(depth - 1, inRange));
  return fc.array(fc.oneof(...parts), { maxLength: 4 }).map((xs) => xs.join(''));
}

function control(depth: number, inRange: boolean): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.constantFrom('if', 'with', 'range', 'range $i, $v :=', 'range $v :=', 'if not', 'with $x :='),
      pipeline(0),
      fc.boolean(),
      fc.boolean(),
    )
    .chain(([kw, pipe, hasElse, elseIf]) => {
      const inner = kw.startsWith('range') || inRange;
      return fc.tuple(body(depth, inner), body(depth, inRange), pipeline(0)).map(([b, e, p2]) => {
        const elsePart = !hasElse ? '' : elseIf && (kw === 'if' || kw === 'with') ? `{{else ${kw} ${p2}}}${e}` : `{{else}}${e}`;
        return `{{${kw} ${pipe}}}${b}${elsePart}{{end}}`;
      });
    });
}

/** A random template, mostly well formed; some garbage around braces to exercise the parser. */
export const goTemplate: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.boolean(), body(2, false)).map(([decl, b]) => (decl ? '{{$x := .}}' : '') + b) },
  { weight: 1, arbitrary: fc.constantFrom('json', 'table', 'raw', 'table {{.ID}}\\t{{.Nope}}', '') },
  {
    weight: 1,
    arbitrary: fc.array(fc.constantFrom('{{', '}}', '{{-', '-}}', '(', ')', '|', '.', '$', ' ', '"', '`', "'", 'if', 'end', 'else', 'range', ':=', '=', ',', '/*', '*/', 'x', '3', '.ID'), { maxLength: 12 }).map((xs) => xs.join('')),
  },
);
