// Local mode's words about `curl`, in the page's language (the auth frame's `lang`): why a
// request is not made, and why an ingress port does not answer on a kernel without IPVS.
// curl's own output stays as curl prints it. Refusals read like local mode's others:
// "<what>: not available in local mode: <why>". Pure (no Node built-ins).
import type { CurlRefusal } from './curl-policy.js';
import { MAX_PATH_LENGTH, MAX_TIME_SECONDS } from './curl-policy.js';
import { PUBLISHED_PORTS } from './spec-policy.js';

export interface LocalCurlText {
  /** One line (no prefix, no newline) saying what was refused and why. */
  refusal(r: CurlRefusal): string;
  /** The line after curl's own error when an ingress port is refused and the kernel has no IPVS. */
  noIpvs(port: number): string;
  /** The swarm could not be asked which ports are published (the daemon's own words follow). */
  unreadable(error: string): string;
}

const RANGE = `${PUBLISHED_PORTS.min}-${PUBLISHED_PORTS.max}`;
const SUBSET = 'curl [-s] [-i] [-m SECONDS] http://NODE:PORT[/path]';

const list = (xs: readonly (string | number)[], sep: string, none: string): string => (xs.length === 0 ? none : xs.join(sep));

export const ENGLISH_CURL: LocalCurlText = {
  refusal: (r) => {
    const na = 'not available in local mode';
    switch (r.kind) {
      case 'own-daemon':
        return `curl: ${na} on your own Docker daemon: Swarm Lab publishes no ports there, so a port that answers is one of yours. Try curl on the sandbox swarm (npm run sandbox:up) or in the simulator.`;
      case 'option':
        return `curl ${r.option}: ${na}: curl here only makes GET requests (${SUBSET})`;
      case 'argument':
        return `curl ${r.word}: ${na}: one URL per command, and no files (${SUBSET})`;
      case 'max-time':
        return `curl -m ${r.value}: ${na}: -m takes a number of seconds from more than 0 to ${MAX_TIME_SECONDS}`;
      case 'scheme':
        return `curl ${r.scheme}://: ${na}: curl here speaks http:// only, to the swarm's published ports`;
      case 'url':
        return `curl ${r.url}: ${na}: give a node and a published port, e.g. http://worker1:8080/`;
      case 'path':
        return `curl: ${na}: the path must be plain URL characters, at most ${MAX_PATH_LENGTH} of them`;
      case 'host':
        return `curl ${r.host}: ${na}: curl here reaches the swarm's own nodes only (${list(r.nodes, ', ', 'none')}, their addresses, or localhost for the node you are on)`;
      case 'port':
        return r.port < PUBLISHED_PORTS.min || r.port > PUBLISHED_PORTS.max
          ? `curl port ${r.port}: ${na}: curl here reaches only the ports Swarm Lab's services publish, in ${RANGE}`
          : `curl port ${r.port}: ${na}: no Swarm Lab service publishes it (published now: ${list(r.published, ', ', 'none')})`;
      case 'node':
        return `curl: ${na} from ${r.node}: it is not a node of the sandbox swarm`;
    }
  },
  noIpvs: (port) =>
    `swarm-lab: port ${port} is published in ingress mode, and this machine's kernel has no IPVS (ip_vs), which the routing mesh needs: ingress ports do not answer here. Host-mode ports (mode=host) still answer on the nodes running a task; the simulator shows the mesh at work.`,
  unreadable: (error) => `could not ask the swarm which ports its services publish, so no request was made: ${error}`,
};

export const CHINESE_CURL: LocalCurlText = {
  refusal: (r) => {
    const na = '本地模式下不可用';
    switch (r.kind) {
      case 'own-daemon':
        return `curl：在你自己的 Docker 守护进程上${na}：Swarm Lab 在那里不发布任何端口，能应答的端口都是你自己的。请在沙箱 swarm（npm run sandbox:up）或模拟器中试用 curl。`;
      case 'option':
        return `curl ${r.option}：${na}：这里的 curl 只发 GET 请求（${SUBSET}）`;
      case 'argument':
        return `curl ${r.word}：${na}：每条命令只能有一个 URL，也不能读文件（${SUBSET}）`;
      case 'max-time':
        return `curl -m ${r.value}：${na}：-m 的秒数须大于 0、不超过 ${MAX_TIME_SECONDS}`;
      case 'scheme':
        return `curl ${r.scheme}://：${na}：这里的 curl 只支持 http://，且只访问 swarm 发布的端口`;
      case 'url':
        return `curl ${r.url}：${na}：请给出节点和已发布的端口，例如 http://worker1:8080/`;
      case 'path':
        return `curl：${na}：路径只能由普通的 URL 字符组成，最多 ${MAX_PATH_LENGTH} 个`;
      case 'host':
        return `curl ${r.host}：${na}：这里的 curl 只能访问 swarm 自己的节点（${list(r.nodes, '、', '无')}、它们的地址，或代表当前节点的 localhost）`;
      case 'port':
        return r.port < PUBLISHED_PORTS.min || r.port > PUBLISHED_PORTS.max
          ? `curl 端口 ${r.port}：${na}：这里的 curl 只能访问 Swarm Lab 服务发布的端口（${RANGE}）`
          : `curl 端口 ${r.port}：${na}：没有 Swarm Lab 服务发布这个端口（当前已发布：${list(r.published, '、', '无')}）`;
      case 'node':
        return `curl：在 ${r.node} 上${na}：它不是沙箱 swarm 的节点`;
    }
  },
  noIpvs: (port) =>
    `swarm-lab：端口 ${port} 以 ingress 模式发布，而这台机器的内核没有路由网格所需的 IPVS（ip_vs）：ingress 端口在这里不会应答。以 host 模式（mode=host）发布的端口仍会在运行任务的节点上应答；模拟器里可以看到路由网格的效果。`,
  unreadable: (error) => `无法向 swarm 查询其服务发布了哪些端口，因此没有发出请求：${error}`,
};

/** The texts for a page language (`zh-CN` or English). */
export const curlText = (lang: string | undefined): LocalCurlText => (lang?.toLowerCase().startsWith('zh') ? CHINESE_CURL : ENGLISH_CURL);
