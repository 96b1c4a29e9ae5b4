// The home page's course map (src/components/CourseMap.astro): each lesson's progress, where
// "continue" goes, and the progress tools: export to a file, import from one, reset all.
// Only progress is touched here (src/client/progress-store.ts); the terminal's swarm lives in
// the lesson pages' tab storage and stays as it is. Bundled into an inline script of the home
// page (CourseMap.astro, scripts/vite-inline-script.mjs), right after the map's markup.
import {
  loadHelped,
  PROGRESS_EVENT,
  clearProgress,
  exportProgress,
  importProgress,
  lastLesson,
  loadDone,
  parseProgress,
} from '../progress-store.js';
import type { CourseLesson } from './course-state.js';
import { continueTarget, fill, isComplete, lessonStates } from './course-state.js';

/** The JSON in the map's `<script type="application/json" data-course-data>`. */
export interface CourseMapData {
  lessons: (CourseLesson & { href: string; title: string })[];
  /** Texts in the page's language, with {placeholders}. */
  text: {
    start: string;
    continue: string;
    review: string;
    summary: string;
    summaryNew: string;
    started: string;
    finished: string;
    read: string;
    /** Appended to a lesson's status: how many of its done steps were solved with the solution shown. */
    helped: string;
    exported: string;
    imported: string;
    badFile: string;
    notKept: string;
    resetDone: string;
  };
}

export const PROGRESS_FILE = 'swarm-lab-progress.json';

function readData(root: HTMLElement): CourseMapData | undefined {
  try {
    return JSON.parse(root.querySelector('[data-course-data]')?.textContent ?? '') as CourseMapData;
  } catch {
    return undefined;
  }
}

/** Shows the progress kept in this browser on the map. */
export function render(root: HTMLElement, data: CourseMapData): void {
  const { lessons, text } = data;
  const last = lastLesson();
  const states = lessonStates(lessons, loadDone, last);
  lessons.forEach((lesson, i) => {
    const card = root.querySelector<HTMLElement>(`.course-lesson[data-lesson="${lesson.id}"]`);
    if (!card) return;
    const s = states[i]!;
    card.dataset.state = s.kind;
    const status = card.querySelector<HTMLElement>('[data-course-status]');
    // A new lesson keeps the text it was built with (its step count, or "reading only").
    card.dataset.plan ??= status?.textContent ?? '';
    // Steps done after "Show solution" count, but the map says so (and marks the card).
    const done = loadDone(lesson.id);
    const helped = [...loadHelped(lesson.id)].filter((id) => done.has(id) && lesson.steps.includes(id)).length;
    card.dataset.helped = String(helped);
    if (status) {
      status.textContent =
        (s.kind === 'started'
          ? fill(text.started, { done: s.done, total: s.total })
          : s.kind === 'finished'
            ? text.finished
            : s.kind === 'read'
              ? text.read
              : card.dataset.plan) + (helped > 0 && s.kind !== 'new' ? fill(text.helped, { n: helped }) : '');
    }
    const share = s.kind === 'started' ? s.done / s.total : isComplete(s) ? 1 : 0;
    card.querySelector<HTMLElement>('[data-course-bar]')?.style.setProperty('--course-done', String(share));
    const badge = card.querySelector<HTMLElement>('[data-course-last]');
    if (badge) badge.hidden = lesson.id !== last;
  });

  const target = continueTarget(lessons, states, last);
  const to = lessons[target.index]!;
  const link = root.querySelector<HTMLAnchorElement>('[data-course-continue]');
  if (link) {
    link.href = to.href;
    link.dataset.kind = target.kind;
    const label = link.querySelector('[data-course-continue-text]');
    if (label) label.textContent = target.kind === 'start' ? text.start : target.kind === 'review' ? text.review : fill(text.continue, { title: to.title });
  }
  const summary = root.querySelector('[data-course-summary]');
  if (summary) {
    summary.textContent =
      target.kind === 'start' ? text.summaryNew : fill(text.summary, { finished: states.filter(isComplete).length, total: lessons.length });
  }
}

function say(root: HTMLElement, message: string, kind: 'ok' | 'error'): void {
  const el = root.querySelector<HTMLElement>('[data-course-message]');
  if (!el) return;
  el.dataset.kind = kind;
  el.textContent = message;
}

function download(name: string, json: string): void {
  const url = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

async function importFile(root: HTMLElement, data: CourseMapData, file: File): Promise<void> {
  const ids = data.lessons.map((l) => l.id);
  let parsed: unknown;
  try {
    parsed = JSON.parse(await file.text());
  } catch {
    parsed = undefined;
  }
  const progress = parseProgress(parsed, ids);
  if (!progress) {
    say(root, fill(data.text.badFile, { file: file.name }), 'error');
    return;
  }
  const kept = importProgress(progress, ids);
  render(root, data);
  say(root, kept ? fill(data.text.imported, { file: file.name }) : data.text.notKept, kept ? 'ok' : 'error');
}

function wire(root: HTMLElement, data: CourseMapData): void {
  const ids = data.lessons.map((l) => l.id);
  root.querySelector('[data-course-export]')?.addEventListener('click', () => {
    download(PROGRESS_FILE, `${JSON.stringify(exportProgress(ids), null, 2)}\n`);
    say(root, data.text.exported, 'ok');
  });
  const input = root.querySelector<HTMLInputElement>('[data-course-file]');
  root.querySelector('[data-course-import]')?.addEventListener('click', () => input?.click());
  input?.addEventListener('change', () => {
    const file = input.files?.[0];
    input.value = '';
    if (file) void importFile(root, data, file);
  });
  const dialog = root.querySelector<HTMLDialogElement>('[data-course-dialog]');
  root.querySelector('[data-course-reset]')?.addEventListener('click', () => {
    if (!dialog) return;
    dialog.returnValue = '';
    dialog.showModal();
  });
  dialog?.addEventListener('close', () => {
    if (dialog.returnValue !== 'reset') return;
    clearProgress(ids);
    render(root, data);
    say(root, data.text.resetDone, 'ok');
  });
}

/** Sets up the map on the page, if it has one and it is not set up yet. */
function start(): void {
  const root = document.querySelector<HTMLElement>('[data-course-map]');
  if (!root || root.dataset.ready) return;
  const data = readData(root);
  if (!data) return;
  root.dataset.ready = 'true';
  wire(root, data);
  render(root, data);
}

function refresh(): void {
  const root = document.querySelector<HTMLElement>('[data-course-map][data-ready]');
  const data = root && readData(root);
  if (root && data) render(root, data);
}

// Listeners once per visit (Astro's router runs an inline script it has run before only once;
// the global guards the rest); the router swaps the map in and out of the page.
const w = window as unknown as { swarmLabCourseMap?: boolean };
if (!w.swarmLabCourseMap) {
  w.swarmLabCourseMap = true;
  document.addEventListener('astro:page-load', start);
  document.addEventListener(PROGRESS_EVENT, refresh);
  window.addEventListener('storage', (e) => {
    if (e.key === null || e.key.startsWith('swarm-lab:')) refresh();
  });
}
start();
