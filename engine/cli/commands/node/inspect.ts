// docker node inspect: JSON (or --format) for each node, or the --pretty text block.
import type { Node } from '../../../api/types.js';
import type { CliContext } from '../../context.js';
import type { CommandDef } from '../../command.js';
import { CliError } from '../../command.js';
import { errorText } from '../../daemon-error.js';
import { inspectJson } from '../../format/json.js';
import { TemplateInspector } from '../../format/template-inspector.js';
import { bytesSize, nanoCpus } from '../../format/units.js';
import { capitalizeFirst, goTimeString } from '../../format/time.js';
import { FORMAT_INSPECT_USAGE } from '../../format/usage-texts.js';
import { nodeReference } from './resolve.js';

/** The text block of `docker node inspect --pretty` (docker's nodeInspectPrettyTemplate). */
export function prettyNode(node: Node): string {
  const lines: string[] = [`ID:\t\t\t${node.ID}`];
  if (node.Spec.Name) lines.push(`Name:\t\t\t${node.Spec.Name}`);
  const labels = Object.keys(node.Spec.Labels).sort();
  if (labels.length > 0) {
    lines.push('Labels:');
    for (const k of labels) lines.push(` - ${k}${node.Spec.Labels[k] ? `=${node.Spec.Labels[k]}` : ''}`);
  }
  lines.push(`Hostname:              \t${node.Description.Hostname}`);
  lines.push(`Joined at:             \t${capitalizeFirst(goTimeString(node.CreatedAt))}`);
  lines.push('Status:');
  lines.push(` State:\t\t\t${capitalizeFirst(node.Status.State)}`);
  if (node.Status.Message) lines.push(` Message:              \t${capitalizeFirst(node.Status.Message)}`);
  lines.push(` Availability:         \t${capitalizeFirst(node.Spec.Availability)}`);
  if (node.Status.Addr) lines.push(` Address:\t\t${node.Status.Addr}`);
  if (node.ManagerStatus) {
    lines.push('Manager Status:');
    lines.push(` Address:\t\t${node.ManagerStatus.Addr}`);
    lines.push(` Raft Status:\t\t${capitalizeFirst(node.ManagerStatus.Reachability)}`);
    lines.push(` Leader:\t\t${node.ManagerStatus.Leader ? 'Yes' : 'No'}`);
  }
  lines.push('Platform:');
  lines.push(` Operating System:\t${node.Description.Platform.OS}`);
  lines.push(` Architecture:\t\t${node.Description.Platform.Architecture}`);
  lines.push('Resources:');
  lines.push(` CPUs:\t\t\t${nanoCpus(node.Description.Resources.NanoCPUs)}`);
  lines.push(` Memory:\t\t${bytesSize(node.Description.Resources.MemoryBytes)}`);
  const plugins = new Map<string, string[]>();
  for (const p of node.Description.Engine.Plugins) plugins.set(p.Type, [...(plugins.get(p.Type) ?? []), p.Name]);
  if (plugins.size > 0) {
    lines.push('Plugins:');
    for (const type of [...plugins.keys()].sort()) lines.push(` ${type}:\t\t${[...(plugins.get(type) ?? [])].sort().join(', ')}`);
  }
  lines.push(`Engine Version:\t\t${node.Description.Engine.EngineVersion}`);
  const tls = node.Description.TLSInfo;
  if (tls.TrustRoot || tls.CertIssuerSubject || tls.CertIssuerPublicKey) {
    lines.push('TLS Info:');
    lines.push(' TrustRoot:');
    lines.push(tls.TrustRoot);
    lines.push(` Issuer Subject:\t${tls.CertIssuerSubject}`);
    lines.push(` Issuer Public Key:\t${tls.CertIssuerPublicKey}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * Fetches every reference; failures are collected so found nodes still print (docker's
 * inspect.Inspect). `each` sees every node fetched and may report a failure of its own.
 */
async function fetchAll(ctx: CliContext, refs: string[], each?: (node: Node) => string | undefined): Promise<[Node[], string[]]> {
  const nodes: Node[] = [];
  const errors: string[] = [];
  for (const ref of refs) {
    let node: Node;
    try {
      node = await ctx.api.nodeInspect(await nodeReference(ctx.api, ref));
    } catch (e) {
      errors.push(errorText(e));
      continue;
    }
    nodes.push(node);
    const failed = each?.(node);
    if (failed !== undefined) errors.push(failed);
  }
  return [nodes, errors];
}

export const nodeInspectCommand: CommandDef = {
  name: 'inspect',
  usage: '[OPTIONS] self|NODE [NODE...]',
  short: 'Display detailed information on one or more nodes',
  args: { min: 1 },
  flags: [
    { name: 'format', short: 'f', kind: 'string', usage: FORMAT_INSPECT_USAGE },
    { name: 'pretty', kind: 'bool', usage: 'Print the information in a human friendly format' },
  ],
  async run(ctx, inv) {
    const format = inv.flags.string('format');
    // --pretty wins over --format (docker sets the format to "pretty").
    const pretty = inv.flags.bool('pretty');
    // A template is parsed before any node is fetched (a parse error ends the command).
    const inspector = !pretty && format !== '' && format !== 'json' ? new TemplateInspector(format, 'swarm.Node') : undefined;
    const [nodes, errors] = await fetchAll(ctx, inv.args, inspector && ((node) => inspector.inspect(node)));
    if (pretty) {
      // The pretty text is rendered only once every node was found: any failure prints nothing but the first error.
      if (errors.length > 0) throw new CliError(errors[0]!);
      ctx.stdout.write(nodes.map(prettyNode).join('\n\n'));
    } else if (inspector) {
      ctx.stdout.write(inspector.flush());
    } else {
      ctx.stdout.write(inspectJson(nodes));
    }
    if (errors.length > 0) throw new CliError(errors.join('\n'));
    return 0;
  },
};
