// A lesson's progress: which steps the learner has done, shown on each step marker
// (`span.lesson-step[data-step]`, src/components/Step.astro) and kept in localStorage per
// lesson id, so the English and Chinese pages share it. A step once done stays done: later
// steps change the state its check looks at (rolling-update's first image is replaced).
import type { CheckReason, StepResultLike } from './lesson-terminal-api.js';

export interface ProgressStrings {
  done: string;
  notDone: string;
  /** Said on a done step the learner solved after showing its solution. */
  helped: string;
  /** The tag on an optional step's marker (`data-optional`, Step.astro). */
  optional: string;
  /** Localized lesson.reason.* texts by key, with {param} placeholders. */
  reasons: Record<string, string>;
}

export { loadDone, saveDone } from '../progress-store.js';

/** The markers' texts from the lesson page's data attributes (LessonColumns.astro). */
export function progressStrings(d: DOMStringMap, reasons: Record<string, string>): ProgressStrings {
  return {
    done: d.doneText ?? 'Done',
    notDone: d.notDoneText ?? 'Not done yet',
    helped: d.helpedText ?? 'Done with the solution shown',
    optional: d.optionalText ?? 'Optional',
    reasons,
  };
}

/** The reason's text in the page's language; an unknown key shows as the key (a lesson bug, visible). */
export function reasonText(reason: CheckReason, reasons: Record<string, string>): string {
  const text = reasons[reason.key] ?? reason.key;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = reason.params?.[name];
    return v === undefined ? whole : String(v);
  });
}

/**
 * Shows each marker as done or not done. Only the first step not done gets its reason: it
 * names the next thing to do, while later steps' reasons just restate that they are ahead.
 */
export function renderSteps(
  root: ParentNode,
  done: ReadonlySet<string>,
  results: readonly StepResultLike[],
  strings: ProgressStrings,
  helped: ReadonlySet<string> = new Set(),
): void {
  const reasons = new Map(results.map((r) => [r.stepId, r.reason]));
  let first = true;
  for (const marker of Array.from(root.querySelectorAll<HTMLElement>('span.lesson-step[data-step]'))) {
    const id = marker.dataset.step ?? '';
    const ok = done.has(id);
    marker.dataset.done = String(ok);
    marker.dataset.helped = String(ok && helped.has(id));
    marker.classList.add('not-content');
    const badge = document.createElement('span');
    badge.className = 'lesson-step-badge';
    badge.textContent = ok ? (helped.has(id) ? `✓ ${strings.helped}` : `✓ ${strings.done}`) : strings.notDone;
    const parts: Node[] = [];
    if (marker.dataset.optional === 'true') {
      // Before the badge, so "Optional · Not done yet" reads as one thing in either language.
      const tag = document.createElement('span');
      tag.className = 'lesson-step-optional';
      tag.textContent = strings.optional;
      parts.push(tag);
    }
    parts.push(badge);
    const reason = reasons.get(id);
    if (!ok && first && reason) {
      const why = document.createElement('span');
      why.className = 'lesson-step-reason';
      why.textContent = reasonText(reason, strings.reasons);
      parts.push(why);
    }
    if (!ok) first = false;
    marker.replaceChildren(...parts);
  }
}
