// The shell's own words on a Chinese page: the worker speaks them after setLanguage('zh-CN'),
// Docker's output stays English, and every line of the help and of lab's usage fits an 80-column
// terminal with its descriptions in one column (a Chinese character is two columns wide).
import * as Comlink from 'comlink';
import { describe, expect, test } from 'vitest';
import { workerPort } from './helpers/worker-port.js';
import { ENGLISH } from '../engine/shell/text.js';
import { CHINESE } from '../engine/shell/text-zh.js';
import { displayWidth } from '../engine/text-width.js';

const port = workerPort();

const run = (line: string, columns?: number) => port.run(line, columns);

describe('the shell in Chinese', () => {
  test('after setLanguage(zh-CN) the shell answers in Chinese, docker in English; a reset keeps it; en goes back', async () => {
    await port.engine.reset({ seed: 3 });
    await port.engine.setLanguage('zh-CN');
    expect((await run('help')).out).toContain('这个终端运行的是一个模拟的 Docker swarm');
    expect(await run('undo')).toMatchObject({ code: 1, out: 'undo: 没有可以撤销的命令\n' });
    expect((await run('lab node stop nowhere')).out).toBe('lab: 没有这个节点：nowhere\n');
    expect((await run('docker service ls --bogus')).out).toContain('unknown flag: --bogus');
    // A new swarm (Reset, a lesson's start state) keeps the page's language.
    await port.engine.reset({ seed: 4 });
    expect((await run('redo')).out).toBe('redo: 没有可以重做的命令\n');
    await port.engine.setLanguage('en');
    expect((await run('redo')).out).toBe('redo: nothing to redo\n');
  });

  test.each([
    ['English', ENGLISH],
    ['Chinese', CHINESE],
  ])('%s help and lab usage fit 80 columns, descriptions from column 20', (_name, text) => {
    const help = text.help(['manager1', 'worker1', 'worker2']);
    for (const line of [...help.split('\n'), ...text.labUsage.split('\n')]) expect(displayWidth(line), line).toBeLessThanOrEqual(80);
    const described = help.split('\n').filter((l) => /^ {2}\S/.test(l) && displayWidth(l) > 22 && !l.includes('lab '));
    expect(described.length).toBeGreaterThan(8);
    for (const line of described) {
      // The description starts where the English one does: after the command and its padding.
      const m = /^( {2}\S.*?\s{2,})\S/.exec(line);
      expect(m && displayWidth(m[1]!), line).toBe(20);
    }
  });

  test('every message of the English shell has its Chinese one', () => {
    expect(Object.keys(CHINESE).sort()).toEqual(Object.keys(ENGLISH).sort());
  });
});

test('a 100-node help lists every machine within 80 columns, in both languages', () => {
  const names = Array.from({ length: 100 }, (_, i) => (i < 10 ? `manager${i + 1}` : `worker${i - 9}`));
  for (const text of [ENGLISH, CHINESE]) {
    const help = text.help(names);
    for (const line of help.split('\n')) expect(displayWidth(line), line).toBeLessThanOrEqual(80);
    for (const n of names) expect(help).toMatch(new RegExp(`(^| |、)${n}(,|、|$)`, 'm'));
  }
});

test('a command waiting on the paused swarm says so in the page language', async () => {
  await port.engine.reset({ seed: 5 });
  await port.engine.setLanguage('zh-CN');
  await run('pause');
  const chunks: string[] = [];
  const done = port.engine.run('docker service create --replicas 1 --name w redis:7.4.0', 100, Comlink.proxy((t: string) => void chunks.push(t)));
  await new Promise((r) => setTimeout(r, 300));
  await port.engine.interrupt();
  await done;
  expect(chunks.join('')).toContain('swarm-lab: swarm 已暂停，这条命令正在等它');
  await port.engine.setLanguage('en');
  await run('play');
});

test('a step that creates tasks says so in words, in both languages', async () => {
  for (const [lang, made] of [['en', /r\.1: created, new \(desired running\)/], ['zh-CN', /r\.1：新建，new（期望状态 running）/]] as const) {
    await port.engine.reset({ seed: 6 });
    await port.engine.setLanguage(lang);
    await run('pause');
    await run('docker service create -d --replicas 2 --name r redis:7.4.0');
    let out = '';
    for (let i = 0; i < 5 && !made.test(out); i++) out += (await run('step')).out;
    expect(out).toMatch(made);
    await run('play');
  }
  await port.engine.setLanguage('en');
});
