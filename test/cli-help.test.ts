// Help output compared byte for byte with the real docker 28.2.2 client's `--help`,
// captured into test/fixtures/docker-help/ (80-column wrapping, as when stdin is not a terminal).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDocker } from '../engine/cli/index.js';
import { FakeApi, fakeContext } from './cli-fake-api.js';

const dir = join(import.meta.dirname, 'fixtures/docker-help');
const fixtures = readdirSync(dir).filter((f) => f.endsWith('.txt'));

describe('help matches docker 28.2.2', () => {
  for (const file of fixtures) {
    const words = file.replace(/\.txt$/, '').split('-').slice(1);
    // join-token is one word.
    const argv = words.join(' ').replace('join token', 'join-token').split(' ').filter((w) => w !== '');
    it(`docker ${argv.join(' ')} --help`, async () => {
      const { ctx, out, err } = fakeContext(new FakeApi());
      expect(await runDocker([...argv, '--help'], ctx)).toBe(0);
      expect(err()).toBe('');
      expect(out()).toBe(readFileSync(join(dir, file), 'utf8'));
    });
  }

  it('docker help node prints the same as docker node --help', async () => {
    const a = fakeContext(new FakeApi());
    const b = fakeContext(new FakeApi());
    expect(await runDocker(['help', 'node'], a.ctx)).toBe(0);
    await runDocker(['node', '--help'], b.ctx);
    expect(a.out()).toBe(b.out());
  });

  it('wraps the Options column to the terminal width', async () => {
    const { ctx, out } = fakeContext(new FakeApi(), 200);
    await runDocker(['node', 'update', '--help'], ctx);
    expect(out()).toContain('      --availability string   Availability of the node ("active", "pause", "drain")\n');
  });
});
