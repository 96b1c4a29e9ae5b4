import { describe, expect, it } from 'vitest';
import { renderTranscript } from '../engine/node/transcript.js';

const ESC = '\x1b';

describe('renderTranscript', () => {
  it('prints each command after a prompt, then its output with bare \\n line ends', async () => {
    const out = await renderTranscript([
      { command: 'docker service ls', output: 'ID   NAME\nabc  redis\n' },
      { command: 'sleep 5', output: '' },
      { command: 'docker service rm redis', output: 'redis\n' },
    ]);
    expect(out).toBe('$ docker service ls\nID   NAME\nabc  redis\n$ sleep 5\n$ docker service rm redis\nredis\n');
  });

  it('right-trims rows and drops trailing empty rows', async () => {
    const out = await renderTranscript([{ command: 'x', output: 'a   \n\n\nb  \n\n\n\n' }]);
    expect(out).toBe('$ x\na\n\n\nb\n');
  });

  it('shows a progress display redrawn in place as its final state only', async () => {
    // The shape docker's service create/update progress writes: N lines, then for each
    // refresh ESC[nA to go back up, and ESC[2K + \r + the new text on every line.
    const frame = (done: number) =>
      `${ESC}[2K\roverall progress: ${done} out of 2 tasks \n` +
      `${ESC}[2K\r1/2: ${done >= 1 ? 'running   [==================================================>] ' : 'preparing [=================================>                 ] '}\n` +
      `${ESC}[2K\r2/2: ${done >= 2 ? 'running   [==================================================>] ' : 'preparing [=================================>                 ] '}\n`;
    const output =
      'redis\n' + frame(0) + `${ESC}[3A` + frame(1) + `${ESC}[3A` + frame(2) + `${ESC}[2K\rverify: Service redis converged \n`;
    const out = await renderTranscript([{ command: 'docker service create --replicas 2 --name redis redis', output }]);
    expect(out).toBe(
      [
        '$ docker service create --replicas 2 --name redis redis',
        'redis',
        'overall progress: 2 out of 2 tasks',
        '1/2: running   [==================================================>]',
        '2/2: running   [==================================================>]',
        'verify: Service redis converged',
        '',
      ].join('\n'),
    );
  });

  it('honours ESC[nB and a bare \\r overwriting part of a line', async () => {
    const output = `line1\nline2\nline3\n${ESC}[3Aabcdef\rXY${ESC}[2Bz\n`;
    const out = await renderTranscript([{ command: 'c', output }]);
    // After "XY" the cursor is at column 2 of row "line1"; ESC[2B moves down two rows keeping the column.
    expect(out).toBe('$ c\nXYcdef\nline2\nlize3\n');
  });

  it('keeps a long line wrapped over several 80-column rows', async () => {
    const long = 'x'.repeat(80) + 'y'.repeat(80) + 'zzz';
    const out = await renderTranscript([{ command: 'docker service ps redis', output: long + '\nnext\n' }]);
    expect(out.split('\n')).toEqual(['$ docker service ps redis', 'x'.repeat(80), 'y'.repeat(80), 'zzz', 'next', '']);
  });

  it('wraps a long command line too, and follows the cols option', async () => {
    const out = await renderTranscript([{ command: 'a'.repeat(20), output: 'b'.repeat(25) + '\n' }], { cols: 10 });
    expect(out).toBe(['$ aaaaaaaa', 'aaaaaaaaaa', 'aa', 'bbbbbbbbbb', 'bbbbbbbbbb', 'bbbbb', ''].join('\n'));
  });

  it('never drops lines that scrolled off a 24-row screen', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => `row ${i}`);
    const out = await renderTranscript([
      { command: 'first', output: lines.join('\n') + '\n' },
      { command: 'second', output: 'x'.repeat(200) + '\n' },
    ]);
    const rows = out.split('\n');
    expect(rows[0]).toBe('$ first');
    expect(rows[1]).toBe('row 0');
    expect(rows[3000]).toBe('row 2999');
    expect(rows.slice(3001)).toEqual(['$ second', 'x'.repeat(80), 'x'.repeat(80), 'x'.repeat(40), '']);
  });

  it('renders the same screen from CRLF (pty ONLCR) and bare LF output', async () => {
    const lf = `a\nb\n${ESC}[1A${ESC}[2K\rc\n`;
    const crlf = lf.replace(/\n/g, '\r\n');
    expect(await renderTranscript([{ command: 'x', output: crlf }])).toBe(await renderTranscript([{ command: 'x', output: lf }]));
  });
});

describe('real captures', () => {
  // The .transcript files next to each capture were written by scripts/capture-real.mjs with
  // this renderer: re-rendering the raw pty bytes must give the same screen.
  for (const name of ['rolling-update', 'drain-node']) {
    it(`re-renders test/fixtures/real/${name}.json to its .transcript`, async () => {
      const { readFile } = await import('node:fs/promises');
      const dir = new URL('./fixtures/real/', import.meta.url);
      const fixture = JSON.parse(await readFile(new URL(`${name}.json`, dir), 'utf8')) as {
        entries: { command: string; output: string; exitCode: number }[];
      };
      const transcript = await readFile(new URL(`${name}.transcript`, dir), 'utf8');
      expect(fixture.entries.length).toBeGreaterThan(5);
      // Progress displays really were captured with in-place redraws, so the renderer matters.
      expect(fixture.entries.some((e) => e.output.includes('\x1b[1A\x1b[2K'))).toBe(true);
      expect(await renderTranscript(fixture.entries)).toBe(transcript);
    });
  }
});
