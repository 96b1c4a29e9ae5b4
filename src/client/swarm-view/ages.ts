// Ages in the page's language ("5 seconds ago", "5 秒钟前"), counted on the swarm's clock: the
// model says what time it was on the swarm when it was derived, and between models the clock
// runs on at the source's rate (the simulation speed).

export interface SwarmClock {
  /** The swarm's time now, ms since the epoch. */
  now(): number;
}

export function swarmClock(modelNow: () => number, receivedAt: () => number, rate: () => number): SwarmClock {
  return { now: () => modelNow() + Math.max(0, performance.now() - receivedAt()) * rate() };
}

const formats = new Map<string, Intl.RelativeTimeFormat>();

/** How long ago `since` was, at `now`, in words of `lang`. */
export function ago(lang: string, since: number, now: number): string {
  let f = formats.get(lang);
  if (!f) formats.set(lang, (f = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' })));
  const s = Math.max(0, Math.round((now - since) / 1000));
  if (s < 60) return f.format(-s, 'second');
  const m = Math.floor(s / 60);
  if (m < 60) return f.format(-m, 'minute');
  const h = Math.floor(m / 60);
  if (h < 48) return f.format(-h, 'hour');
  return f.format(-Math.floor(h / 24), 'day');
}
