// DOCKER_HOST and friends, read as the docker CLI 28.2.2 reads them (each expectation was
// checked against /usr/local/bin/docker: the address in "Cannot connect to the Docker daemon
// at …" and the "Failed to initialize: …" texts), and turned into dockerode options.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { currentContext, DockerHostError, dockerOptionsFromEnv, endpointUrl, parseDockerHost } from '../engine/node/docker/docker-host.js';

const url = (env: Record<string, string>) => endpointUrl(parseDockerHost(env));

describe('parseDockerHost', () => {
  test('unset or blank: the default socket', () => {
    expect(parseDockerHost({})).toEqual({ kind: 'unix', socketPath: '/var/run/docker.sock' });
    expect(parseDockerHost({ DOCKER_HOST: '  ' })).toEqual({ kind: 'unix', socketPath: '/var/run/docker.sock' });
  });

  test('unset with DOCKER_TLS_VERIFY: tcp://localhost:2376, TLS', () => {
    expect(parseDockerHost({ DOCKER_TLS_VERIFY: '1' })).toEqual({ kind: 'tcp', host: 'localhost', port: 2376, tls: true });
  });

  test('unix:// with and without a path', () => {
    expect(parseDockerHost({ DOCKER_HOST: 'unix:///run/sw3/manager1/docker.sock' })).toEqual({ kind: 'unix', socketPath: '/run/sw3/manager1/docker.sock' });
    expect(parseDockerHost({ DOCKER_HOST: 'unix://' })).toEqual({ kind: 'unix', socketPath: '/var/run/docker.sock' });
  });

  test('tcp: default host and port, no scheme means tcp, IPv6 in brackets', () => {
    expect(url({ DOCKER_HOST: 'tcp://' })).toBe('tcp://localhost:2375');
    expect(url({ DOCKER_HOST: 'tcp://127.0.0.1' })).toBe('tcp://127.0.0.1:2375');
    expect(url({ DOCKER_HOST: 'localhost:1234' })).toBe('tcp://localhost:1234');
    expect(parseDockerHost({ DOCKER_HOST: 'tcp://[::1]:2376' })).toEqual({ kind: 'tcp', host: '::1', port: 2376, tls: false });
    expect(url({ DOCKER_HOST: 'tcp://[::1]:2376' })).toBe('tcp://[::1]:2376');
  });

  test('TLS follows DOCKER_TLS_VERIFY only (DOCKER_CERT_PATH alone does not turn it on)', () => {
    expect(parseDockerHost({ DOCKER_HOST: 'tcp://h:2376', DOCKER_TLS_VERIFY: '1' })).toMatchObject({ tls: true });
    expect(parseDockerHost({ DOCKER_HOST: 'tcp://h:2376', DOCKER_CERT_PATH: '/certs' })).toMatchObject({ tls: false });
    expect(parseDockerHost({ DOCKER_HOST: 'tcp://h:2376', DOCKER_TLS_VERIFY: '' })).toMatchObject({ tls: false });
  });

  test('ssh: user, host, port', () => {
    expect(parseDockerHost({ DOCKER_HOST: 'ssh://me@box.example:2222' })).toEqual({ kind: 'ssh', host: 'box.example', port: 2222, username: 'me' });
    expect(parseDockerHost({ DOCKER_HOST: 'ssh://box' })).toEqual({ kind: 'ssh', host: 'box', port: 22 });
    expect(url({ DOCKER_HOST: 'ssh://me@box:2222' })).toBe('ssh://me@box:2222');
  });

  test('errors worded as the CLI words them', () => {
    expect(() => parseDockerHost({ DOCKER_HOST: 'foo://bar' })).toThrow(new DockerHostError('unable to resolve docker endpoint: invalid bind address format: foo://bar'));
    expect(() => parseDockerHost({ DOCKER_HOST: 'ssh://' })).toThrow('ssh host connection is not valid: invalid SSH URL: hostname is empty');
    expect(() => parseDockerHost({ DOCKER_HOST: 'tcp://h:99999' })).toThrow(DockerHostError);
    // dockerode cannot pass a remote socket path to `docker system dial-stdio`: refused, not ignored.
    expect(() => parseDockerHost({ DOCKER_HOST: 'ssh://u@h/run/docker.sock' })).toThrow(/remote socket path/);
  });
});

describe('dockerOptionsFromEnv', () => {
  test('every connection field is named, so docker-modem never falls back to process.env', () => {
    const o = dockerOptionsFromEnv({ DOCKER_HOST: 'unix:///tmp/x.sock' });
    expect(o).toMatchObject({ socketPath: '/tmp/x.sock', url: 'unix:///tmp/x.sock' });
    for (const k of ['host', 'port', 'protocol', 'ca', 'cert', 'key']) {
      expect(Object.keys(o)).toContain(k);
      expect(o[k as keyof typeof o]).toBeUndefined();
    }
  });

  test('plain tcp is http on the given port', () => {
    expect(dockerOptionsFromEnv({ DOCKER_HOST: 'tcp://10.0.0.5:2375' })).toMatchObject({ protocol: 'http', host: '10.0.0.5', port: 2375, socketPath: undefined });
  });

  test('TLS reads ca/cert/key from DOCKER_CERT_PATH, else DOCKER_CONFIG', () => {
    const dir = mkdtempSync(join(tmpdir(), 'certs-'));
    for (const f of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(dir, f), `${f}-bytes`);
    const a = dockerOptionsFromEnv({ DOCKER_HOST: 'tcp://h:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: dir });
    expect(a.protocol).toBe('https');
    expect(a.ca?.toString()).toBe('ca.pem-bytes');
    expect(a.cert?.toString()).toBe('cert.pem-bytes');
    expect(a.key?.toString()).toBe('key.pem-bytes');
    const b = dockerOptionsFromEnv({ DOCKER_HOST: 'tcp://h:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CONFIG: dir });
    expect(b.key?.toString()).toBe('key.pem-bytes');
  });

  test('TLS without the certificate files fails as the CLI does', () => {
    expect(() => dockerOptionsFromEnv({ DOCKER_HOST: 'tcp://h:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/nonexist' })).toThrow(
      'unable to resolve docker endpoint: open /nonexist/ca.pem: no such file or directory',
    );
  });

  test('ssh: the agent from SSH_AUTH_SOCK, the user from the URL or $USER', () => {
    expect(dockerOptionsFromEnv({ DOCKER_HOST: 'ssh://me@box', SSH_AUTH_SOCK: '/tmp/agent' })).toMatchObject({
      protocol: 'ssh',
      host: 'box',
      port: 22,
      username: 'me',
      sshOptions: { agent: '/tmp/agent' },
    });
    expect(dockerOptionsFromEnv({ DOCKER_HOST: 'ssh://box', USER: 'alice', SSH_AUTH_SOCK: '/a', HOME: '/nonexist' }).username).toBe('alice');
  });
});

describe('docker contexts (DOCKER_HOST unset)', () => {
  const withContext = (name: string, host: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'docker-config-'));
    const id = createHash('sha256').update(name).digest('hex');
    mkdirSync(join(dir, 'contexts', 'meta', id), { recursive: true });
    writeFileSync(join(dir, 'contexts', 'meta', id, 'meta.json'), JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker: { Host: host, SkipTLSVerify: false } } }));
    return dir;
  };

  test('DOCKER_CONTEXT, else config.json currentContext, else default; DOCKER_HOST wins over both', () => {
    const dir = withContext('rootless', 'unix:///run/user/1000/docker.sock');
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ currentContext: 'rootless' }));
    expect(currentContext({ DOCKER_CONFIG: dir })).toBe('rootless');
    expect(currentContext({ DOCKER_CONFIG: dir, DOCKER_CONTEXT: 'other' })).toBe('other');
    expect(currentContext({ DOCKER_CONFIG: dir, DOCKER_HOST: 'unix:///x.sock' })).toBe('default');
    expect(currentContext({ DOCKER_CONFIG: mkdtempSync(join(tmpdir(), 'empty-')) })).toBe('default');
    expect(dockerOptionsFromEnv({ DOCKER_CONFIG: dir })).toMatchObject({ socketPath: '/run/user/1000/docker.sock', url: 'unix:///run/user/1000/docker.sock' });
    expect(dockerOptionsFromEnv({ DOCKER_CONFIG: dir, DOCKER_HOST: 'unix:///x.sock' }).socketPath).toBe('/x.sock');
  });

  test('a context that does not exist is the CLI\'s error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'empty-'));
    const id = createHash('sha256').update('nope').digest('hex');
    expect(id).toBe('ca3704aa0b06f5954c79ee837faa152d84d6b2d42838f0637a15eda8337dbdce'); // as docker 28 names it
    expect(() => dockerOptionsFromEnv({ DOCKER_CONFIG: dir, DOCKER_CONTEXT: 'nope' })).toThrow(
      `unable to resolve docker endpoint: context "nope": context not found: open ${dir}/contexts/meta/${id}/meta.json: no such file or directory`,
    );
  });
});
