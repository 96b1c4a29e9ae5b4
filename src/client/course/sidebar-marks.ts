// The sidebar's progress marks: a tick on each complete lesson, "done/total" on a started one.
// Not a module of the page: src/components/Sidebar.astro bundles this file (with the few
// functions of progress-store.ts and course-state.ts it uses, ~1 KB) into an inline script
// right after the sidebar, so the marks are there in the first frame and the lesson page's
// eager JavaScript stays as it was. Astro's router runs an inline script once per visit (the
// same text on every page), so the marks follow page swaps and progress writes through
// events; what a page's sidebar needs (lessons, links, texts) is in its #course-marks data.
import { PROGRESS_EVENT, lastLesson, loadDone } from '../progress-store.js';
import type { CourseLesson } from './course-state.js';
import { fill, lessonStates } from './course-state.js';

/** The JSON in `<script type="application/json" id="course-marks">` (Sidebar.astro). */
export interface SidebarMarksData {
  lessons: (CourseLesson & { href: string })[];
  /** Localized: what a screen reader hears for each mark ({done}, {total} filled in). */
  labels: { finished: string; read: string; started: string; said: string };
}

function mark(): void {
  const el = document.getElementById('course-marks');
  if (!el) return;
  let data: SidebarMarksData;
  try {
    data = JSON.parse(el.textContent ?? '') as SidebarMarksData;
  } catch {
    return;
  }
  const states = lessonStates(data.lessons, loadDone, lastLesson());
  data.lessons.forEach((lesson, i) => {
    const link = document.querySelector(`#starlight__sidebar a[href="${lesson.href}"]`);
    if (!link) return;
    const s = states[i]!;
    let m = link.querySelector<HTMLElement>('.course-mark');
    if (s.kind === 'new') {
      m?.remove();
      return;
    }
    if (!m) {
      m = document.createElement('span');
      m.className = 'course-mark';
      link.append(m);
    }
    const shown = s.kind === 'started' ? `${s.done}/${s.total}` : '✓';
    const said = s.kind === 'started' ? fill(data.labels.started, { done: s.done, total: s.total }) : data.labels[s.kind];
    if (m.dataset.state === s.kind && m.title === said) return;
    m.dataset.state = s.kind;
    // The visible mark is for the eye; the link's accessible name gets the words, set apart
    // from the title by the localized `said` wrapper (an accessible name joins inline text as it is).
    const eye = document.createElement('span');
    eye.textContent = shown;
    eye.setAttribute('aria-hidden', 'true');
    const words = document.createElement('span');
    words.className = 'sr-only';
    words.textContent = fill(data.labels.said, { state: said });
    m.replaceChildren(eye, words);
    m.title = said;
  });
}

// Once per visit (guarded against a second copy of the script, e.g. a page in the other language).
const w = window as unknown as { swarmLabMarks?: boolean };
if (!w.swarmLabMarks) {
  w.swarmLabMarks = true;
  document.addEventListener(PROGRESS_EVENT, mark);
  // After a page swap, before it is painted; again once the new page is loaded.
  document.addEventListener('astro:after-swap', mark);
  document.addEventListener('astro:page-load', mark);
  // Another tab of the site wrote progress.
  window.addEventListener('storage', (e) => {
    if (e.key === null || e.key.startsWith('swarm-lab:')) mark();
  });
}
mark();
