// The view's words in the page's language: the `view.*` strings Terminal.astro renders beside
// the slot as JSON (content/i18n/*.json). A key the page lacks reads as the key itself, so a
// missing string shows up in review instead of text in the wrong language.

export type Params = Record<string, string | number>;

export interface ViewStrings {
  /** The string for `view.<key>` with its {params} filled in. */
  t(key: string, params?: Params): string;
  /** Whether `view.<key>` exists. */
  has(key: string): boolean;
  /** The page's language (BCP 47), for numbers and relative times. */
  lang: string;
}

export function readStrings(slot: HTMLElement): ViewStrings {
  let table: Record<string, string> = {};
  try {
    const raw: unknown = JSON.parse((slot.parentElement ?? slot).querySelector('script[data-swarm-view-strings]')?.textContent ?? '{}');
    if (raw && typeof raw === 'object') table = raw as Record<string, string>;
  } catch {
    // a damaged page: keys show through
  }
  const lang = document.documentElement.lang || 'en';
  return {
    lang,
    has: (key) => typeof table[`view.${key}`] === 'string',
    t: (key, params) => {
      const s = table[`view.${key}`];
      if (typeof s !== 'string') return `view.${key}`;
      return params ? s.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole)) : s;
    },
  };
}
