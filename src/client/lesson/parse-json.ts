// JSON from the page's data attributes (LessonColumns.astro): anything malformed is the fallback.
export function parseJson<T extends object>(json: string | undefined, fallback: T): T {
  try {
    const v: unknown = JSON.parse(json ?? '');
    return v && typeof v === 'object' ? (v as T) : fallback;
  } catch {
    return fallback;
  }
}
