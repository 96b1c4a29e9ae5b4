// One colour per image (name:tag), so a rolling update from redis:7.4.0 to 7.4.1 sweeps the
// swarm in a second colour one chip at a time. Colours are handed out in the order images
// are first seen and kept for the page's life: a tag keeps its colour when the one before it
// is gone. The colour says only which image; the tag is written on the chip too, and the
// state is text and shape (swarm-view.css draws the palette, AA in both themes).

export const PALETTE_SIZE = 8;

const assigned = new Map<string, number>();

export function colorOf(image: string): number {
  let c = assigned.get(image);
  if (c === undefined) {
    c = assigned.size % PALETTE_SIZE;
    assigned.set(image, c);
  }
  return c;
}

/** The tag part of an image as the tables print it (`redis:7.4.1` → `7.4.1`); the whole name without a tag. */
export function tagOf(image: string): string {
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return colon > slash ? image.slice(colon + 1) : image;
}
