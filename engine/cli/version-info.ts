// The docker client Swarm Lab imitates: docker CLI 28.2.2 as `docker version` reports it.

export const CLIENT_VERSION = '28.2.2';
export const CLIENT_API_VERSION = '1.50';
export const CLIENT_GO_VERSION = 'go1.24.3';
export const CLIENT_GIT_COMMIT = 'e6534b4';
export const CLIENT_BUILT = 'Fri May 30 12:07:14 2025';
export const CLIENT_OS_ARCH = 'linux/amd64';

/** The client's fields as `docker version` and `docker info` templates see them (ClientVersion / ClientInfo). */
export const CLIENT_DETAILS = {
  Version: CLIENT_VERSION,
  DefaultAPIVersion: CLIENT_API_VERSION,
  GitCommit: CLIENT_GIT_COMMIT,
  GoVersion: CLIENT_GO_VERSION,
  Os: 'linux',
  Arch: 'amd64',
  BuildTime: CLIENT_BUILT,
  Context: 'default',
} as const;
