// Image references as docker/cli shows and stores them (distribution/reference familiar
// forms). Expected values are what CLI 28.2.2 printed against a live dockerd 20.10 for
// `service create --no-resolve-image IMAGE` followed by `service ls` / `service ps` / inspect.
import { describe, expect, it } from 'vitest';
import { displayContainerImage, displayImage, imageWithDigest, imageWithTag } from '../engine/cli/format/image-ref.js';

const DIGEST = 'sha256:' + 'a'.repeat(64);

describe('image references', () => {
  it('service create stores the familiar name with :latest added (live capture)', () => {
    expect(imageWithTag(`docker.io/library/redis:7@${DIGEST}`)).toBe(`redis:7@${DIGEST}`);
    expect(imageWithTag('docker.io/library/redis')).toBe('redis:latest');
    expect(imageWithTag(`redis@${DIGEST}`)).toBe(`redis@${DIGEST}`);
    expect(imageWithTag('index.docker.io/library/redis:7')).toBe('redis:7');
    expect(imageWithTag('library/redis:7')).toBe('redis:7');
    // Not official images: library/ stays when it is not the whole namespace, or the registry is another one.
    expect(imageWithTag('library/foo/bar')).toBe('library/foo/bar:latest');
    expect(imageWithTag('localhost:5000/library/redis')).toBe('localhost:5000/library/redis:latest');
  });

  it('service ls/ps and node ps drop the digest only when there is a tag', () => {
    expect(displayImage(`redis:7@${DIGEST}`)).toBe('redis:7');
    expect(displayImage(`redis@${DIGEST}`)).toBe(`redis@${DIGEST}`);
    expect(displayImage('docker.io/library/redis:7')).toBe('redis:7');
    // Untagged: taskContext.Image (docker/cli source) leaves the string as it is, domain included.
    expect(displayImage('docker.io/library/redis')).toBe('docker.io/library/redis');
    expect(displayImage('Not/Valid:7')).toBe('Not/Valid:7');
  });

  it('docker ps drops the digest even without a tag', () => {
    expect(displayContainerImage(`redis:7@${DIGEST}`)).toBe('redis:7');
    expect(displayContainerImage(`docker.io/library/redis@${DIGEST}`)).toBe('redis');
    expect(displayContainerImage('Not/Valid')).toBe('Not/Valid');
  });

  it('pins a digest once', () => {
    expect(imageWithDigest('redis:7', DIGEST)).toBe(`redis:7@${DIGEST}`);
    expect(imageWithDigest(`redis:7@${DIGEST}`, DIGEST)).toBeUndefined();
  });
});
