// Records every Engine call made through a SwarmApi: method name and arguments, in order.
// Tests wrap the backend with it to assert that a refused request made no Engine call; the
// server can use it to count calls. It never sees the session token (that is checked long
// before any Engine call).
import type { SwarmApi } from '../../api/swarm-api.js';

export interface EngineCall {
  method: keyof SwarmApi;
  args: unknown[];
}

/** A SwarmApi that forwards to `api` and pushes each call onto `calls` first. */
export function recordCalls(api: SwarmApi, calls: EngineCall[]): SwarmApi {
  return new Proxy(api, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push({ method: prop as keyof SwarmApi, args });
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
