// The CLI's clock on a real swarm: real time. The progress display and `docker service logs -f`
// poll through `sleep`, which must stop at once on Ctrl-C (the signal) as the CLI's do.
import type { CliClock } from '../../cli/context.js';

const abortError = (): Error => Object.assign(new Error('aborted'), { name: 'AbortError' });

export function wallClock(): CliClock {
  return {
    now: () => Date.now(),
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(abortError());
        const onAbort = (): void => {
          clearTimeout(timer);
          reject(abortError());
        };
        const timer = setTimeout(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }, Math.max(0, ms));
        signal?.addEventListener('abort', onAbort, { once: true });
      }),
  };
}
