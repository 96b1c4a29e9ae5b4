// Go's time.Duration.String(), which docker uses wherever it prints a duration value
// (inspect --pretty delays, help defaults like `2160h0m0s`).

/** Formats `v / 10**prec` as ".ddd" without trailing zeros; "" when the fraction is 0. */
function fraction(v: bigint, prec: number): [string, bigint] {
  let digits = '';
  let printing = false;
  for (let i = 0; i < prec; i++) {
    const digit = v % 10n;
    printing ||= digit !== 0n;
    if (printing) digits = digit.toString() + digits;
    v /= 10n;
  }
  return [printing ? '.' + digits : '', v];
}

export function goDuration(nanoseconds: number | bigint): string {
  let u = BigInt(nanoseconds);
  const neg = u < 0n;
  if (neg) u = -u;
  let out: string;
  if (u < 1_000_000_000n) {
    if (u === 0n) return '0s';
    let unit: string;
    let prec: number;
    if (u < 1_000n) [unit, prec] = ['ns', 0];
    else if (u < 1_000_000n) [unit, prec] = ['µs', 3];
    else [unit, prec] = ['ms', 6];
    const [frac, whole] = fraction(u, prec);
    out = `${whole}${frac}${unit}`;
  } else {
    const [frac, secondsTotal] = fraction(u, 9);
    out = `${secondsTotal % 60n}${frac}s`;
    const minutes = secondsTotal / 60n;
    if (minutes > 0n) {
      out = `${minutes % 60n}m` + out;
      const hours = minutes / 60n;
      if (hours > 0n) out = `${hours}h` + out;
    }
  }
  return neg ? '-' + out : out;
}
