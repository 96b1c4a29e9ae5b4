// --placement-pref / --placement-pref-add / --placement-pref-rm values (docker/cli's
// placementPrefOpts): `spread=<descriptor>`, the only strategy swarmkit has.
import type { PlacementPreference } from '../../../api/types.js';

/** Parses one value; throws with the reason pflag prints after `invalid argument ... for ... flag:`. */
export function parsePlacementPref(value: string): PlacementPreference {
  const eq = value.indexOf('=');
  const strategy = eq < 0 ? '' : value.slice(0, eq);
  if (eq < 0 || strategy === '') throw new Error('placement preference must be of the format "<strategy>=<arg>"');
  if (strategy !== 'spread') throw new Error(`unsupported placement preference ${strategy} (only spread is supported)`);
  return { Spread: { SpreadDescriptor: value.slice(eq + 1) } };
}

/** Flag validator for the framework: the reason pflag would print, or undefined. */
export function validatePlacementPref(value: string): string | undefined {
  try {
    parsePlacementPref(value);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}
