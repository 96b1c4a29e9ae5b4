// sortorder.NaturalLess as docker uses it for ls/ps ordering: digit runs compare as numbers.

export function naturalLess(a: string, b: string): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a[i] as string;
    const cb = b[j] as string;
    const da = ca >= '0' && ca <= '9';
    const db = cb >= '0' && cb <= '9';
    if (da && db) {
      let ei = i;
      while (ei < a.length && a[ei]! >= '0' && a[ei]! <= '9') ei++;
      let ej = j;
      while (ej < b.length && b[ej]! >= '0' && b[ej]! <= '9') ej++;
      const na = a.slice(i, ei).replace(/^0+/, '');
      const nb = b.slice(j, ej).replace(/^0+/, '');
      if (na.length !== nb.length) return na.length < nb.length;
      if (na !== nb) return na < nb;
      // Equal values: fewer leading zeros first.
      if (ei - i !== ej - j) return ei - i < ej - j;
      i = ei;
      j = ej;
      continue;
    }
    if (ca !== cb) return ca < cb;
    i++;
    j++;
  }
  return a.length - i < b.length - j;
}

/** naturalLess as a sort comparator. */
export const naturalCompare = (a: string, b: string): number => (naturalLess(a, b) ? -1 : naturalLess(b, a) ? 1 : 0);
