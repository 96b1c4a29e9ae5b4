// The shell's own words in Simplified Chinese, for the /zh-cn/ pages (engine/shell/text.ts has
// the English and the interface). What docker prints stays English, as a real terminal's would;
// commands, flags, node and task names stay as typed. Loaded only by a Chinese page
// (TerminalEngine.setLanguage), so an English page's worker never carries it.
import type { StepChange } from '../step.js';
import { displayWidth } from '../text-width.js';
import type { ShellText } from './text.js';
import { nameRows } from './text.js';

/** A line of help: the command, then its words from column 20 (a Chinese character takes two). */
const row = (cmd: string, what: string): string => `  ${cmd}${' '.repeat(Math.max(1, 18 - displayWidth(cmd)))}${what}`;

/** `redis.2（worker1）：preparing → starting`; the states are Docker's words, as `docker service ps` prints them. */
function stepLine(c: StepChange): string {
  const where = c.node ? `${c.name}（${c.node}）` : c.name;
  const desired = c.desired ? `（期望状态 ${c.desired}）` : '';
  return c.from === '' ? `  ${where}：新建，${c.to}${desired}` : `  ${where}：${c.from} → ${c.to}${desired}`;
}

export const CHINESE: ShellText = {
  help: (hostnames) =>
    [
      '这个终端运行的是一个模拟的 Docker swarm。可以输入：',
      '',
      row('docker ...', 'docker 命令行（service、node、swarm、network、info、'),
      row('', 'version、ps；加 --help 查看用法）'),
      row('curl <网址>', '从发布的端口取一个页面，例如 curl worker1:8080'),
      row('', '（选项 -s、-i、-m <秒数>）'),
      row('ssh <节点>', '之后的命令在另一个节点上运行：'),
      ...nameRows(hostnames, '、'),
      row('exit', '回到来时的节点'),
      row('sleep <秒数>', '让模拟时间流逝'),
      row('clear', '清屏（或按 Ctrl-L）'),
      row('history', '列出输入过的命令'),
      row('echo <文本>', '输出文本'),
      row('pause, play', '冻结 swarm 的时间，再让它继续走'),
      row('step', '让暂停的 swarm 前进到下一个事件（并说明变化）'),
      row('undo, redo', '撤销上一条改变了 swarm 的命令，或把它恢复'),
      '  lab node stop <节点>, lab node start <节点>',
      row('', '停止或启动某个节点的 Docker 守护进程（模拟节点故障）'),
      '  lab task kill <任务>',
      row('', '像 docker kill 一样杀掉任务的容器（例如 redis.2）'),
      '',
      'Ctrl-C 停止等待当前命令；swarm 会在后台继续工作。',
      '',
    ].join('\n'),
  operatorUnsupported: (op) => `bash: 这个终端不支持 '${op}'：请一次运行一条命令\n`,
  cannotExit: '这是本次会话的第一个节点，没有可以 exit 回去的地方。\n',
  cliUnavailable: 'swarm-lab: 无法加载 docker 命令（网站还能访问吗？）；请再运行一次\n',
  curlUnavailable: 'swarm-lab: 无法加载 curl 命令（网站还能访问吗？）；请再运行一次\n',
  steerUsage: (cmd) => `${cmd}: 用法：${cmd}（不带参数）\n`,
  steerUnavailable: (cmd) => `${cmd}: 本地模式下不可用：只有模拟 swarm 的时间能暂停、命令能撤销\n`,
  paused: (time) => `swarm 已暂停于 ${time}。输入 step 让它前进一个事件，输入 play 让它继续运行。\n`,
  pausedWait: 'swarm-lab: swarm 已暂停，这条命令正在等它（play 让它继续，Ctrl-C 停止等待）\n',
  playing: (time) => `swarm 从 ${time} 起继续运行。\n`,
  stepped: (time, changes) =>
    changes.length === 0
      ? `swarm 时间 ${time}：一个定时器触发了，没有看得见的变化。\n`
      : `swarm 时间 ${time}：\n${changes.map(stepLine).join('\n')}\n`,
  nothingScheduled: 'swarm 中没有待发生的事件：它已静止，step 无事可做。\n',
  undone: (line, time) => `已撤销：${line}\nswarm 回到了这条命令之前的样子，时间 ${time}。\n`,
  redone: (line, time) => `已重做：${line}\nswarm 回到了 ${time}。\n`,
  nothingToUndo: 'undo: 没有可以撤销的命令\n',
  nothingToRedo: 'redo: 没有可以重做的命令\n',
  labUsage: [
    '用法：lab node stop NODE    停止 NODE 的 Docker 守护进程',
    '      lab node start NODE   重新启动它',
    '      lab task kill TASK    像 docker kill 一样杀掉 TASK 的容器',
    '                            （TASK：任务名如 redis.2，或任务 ID）',
    '',
  ].join('\n'),
  labUnavailable: 'lab: 本地模式下不可用：只能向模拟的 swarm 注入故障（切换到模拟器再试）\n',
  injected: (done) => {
    switch (done.kind) {
      case 'node-stop':
        return `已停止 ${done.host} 上的 Docker 守护进程（它的容器也随之停止）。\n心跳中断超过宽限期后，管理节点会把这个节点标记为 Down。\n`;
      case 'node-start':
        return `已启动 ${done.host} 上的 Docker 守护进程：它又能响应了。\n它的代理连上 leader 之后，节点就会变回 Ready。\n`;
      case 'task-kill':
        return `已杀掉 ${done.host} 上 ${done.task?.name ?? ''} 的容器（任务 ${done.task?.id.slice(0, 12) ?? ''}）：SIGKILL，退出码 137。\n`;
    }
  },
  injectionRefused: (r) => {
    switch (r.reason) {
      case 'no-such-node':
        return `lab: 没有这个节点：${r.ref}\n`;
      case 'ambiguous-node':
        return `lab: 节点 ${r.ref} 有歧义（找到 ${r.count} 个匹配）\n`;
      case 'already-stopped':
        return `lab: ${r.host} 上的 Docker 守护进程已经停止了\n`;
      case 'already-running':
        return `lab: ${r.host} 上的 Docker 守护进程已经在运行了\n`;
      case 'no-such-task':
        return `lab: 没有这个任务：${r.ref}\n`;
      case 'ambiguous-task':
        return `lab: 任务 ${r.ref} 有歧义（找到 ${r.count} 个匹配）\n`;
      case 'not-running':
        return `lab: ${r.task} 没有正在运行的容器可杀（任务状态为 ${r.state}）\n`;
      case 'daemon-stopped':
        return `lab: ${r.task} 在 ${r.host} 上，而那里的 Docker 守护进程已停止：它的容器没有在运行\n`;
    }
  },
};
