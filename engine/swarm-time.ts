// The swarm's own clock as the learner sees it: time since the swarm started, e.g. `+2m10s`
// (`+1h02m03s`; `+2m10.4s` where a step lands between whole seconds). Shared by the shell's
// pause/play/step and the page's dock.

/** `+2m10s` for 130,000 ms; `tenths` keeps one decimal of the seconds (floored). */
export function formatSwarmTime(ms: number, tenths = false): string {
  const total = Math.max(0, Math.floor(ms / 100)); // in tenths of a second
  const t = total % 10;
  const seconds = Math.floor(total / 10);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const sec = seconds % 60;
  const secText = tenths ? `${sec}.${t}s` : `${sec}s`;
  if (h > 0) return `+${h}h${String(m).padStart(2, '0')}m${secText.padStart(tenths ? 5 : 3, '0')}`;
  if (m > 0) return `+${m}m${secText.padStart(tenths ? 5 : 3, '0')}`;
  return `+${secText}`;
}
