// The "lesson complete" message: once every step of the lesson is done, a note at the end of
// the lesson text says so and links to the next lesson. It lives in a polite status region
// that exists (empty) from the start, because screen readers announce a live region's new
// content, not a region that appears with its content already in it.

export interface CompleteStrings {
  title: string;
  /** May hold {total}, the number of steps. */
  text: string;
  /** With {title} when there is a next lesson; otherwise the closing words. */
  next: string;
  nextHref: string | undefined;
  nextTitle: string | undefined;
}

export interface CompleteNote {
  show(total: number): void;
  hide(): void;
  readonly shown: boolean;
}

/** Adds the (empty) status region at the end of `content`. */
export function completeNote(content: Element, strings: CompleteStrings): CompleteNote {
  const region = document.createElement('div');
  region.className = 'lesson-complete not-content';
  region.setAttribute('role', 'status');
  content.append(region);
  let shown = false;
  return {
    show(total) {
      if (shown) return;
      shown = true;
      const title = document.createElement('p');
      title.className = 'lesson-complete-title';
      title.textContent = `✓ ${strings.title}`;
      const text = document.createElement('p');
      text.textContent = strings.text.replace('{total}', String(total));
      const next = document.createElement('p');
      if (strings.nextHref && strings.nextTitle) {
        const link = document.createElement('a');
        link.href = strings.nextHref;
        link.textContent = strings.next.replace('{title}', strings.nextTitle);
        next.append(link);
      } else next.textContent = strings.next;
      region.replaceChildren(title, text, next);
      region.dataset.shown = 'true';
    },
    hide() {
      shown = false;
      region.replaceChildren();
      delete region.dataset.shown;
    },
    get shown() {
      return shown;
    },
  };
}
