// go-units HumanDuration, the wording docker uses for ages ("About a minute", "3 hours").

export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.trunc(ms / 60_000);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.trunc(ms / 3_600_000 + 0.5);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.trunc(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.trunc(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24 / 30)} months`;
  return `${Math.trunc(Math.trunc(ms / 3_600_000) / 24 / 365)} years`;
}

/** "Less than a second ago", "About a minute ago": inspect --pretty, docker ps CREATED. */
export const agoCapitalised = (ms: number): string => `${humanDuration(ms)} ago`;

/** "less than a second ago", "about a minute ago": CURRENT STATE in service/node ps. */
export const agoLowercase = (ms: number): string => `${humanDuration(ms).toLowerCase()} ago`;
