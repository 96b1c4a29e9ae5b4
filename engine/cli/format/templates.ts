// The Go template engine (go-template.ts and its Go type tables, about half of the docker
// CLI's code) as a chunk of its own: only commands that take --format need it, so the CLI
// loads it before running one of those (dispatch.ts) and a lesson page that never formats
// never downloads it. Commands call parseTemplate/executeTemplate from here, synchronously,
// once it is loaded.
import type * as Engine from './go-template.js';
import type { Template, TemplateOptions } from './go-template.js';
import { CliError } from '../command.js';
import { TemplateError } from './template-error.js';

let engine: typeof Engine | undefined;
let loading: Promise<typeof Engine> | undefined;

/** Loads the engine once; a failed load (the site unreachable) is tried again next time. */
export function loadTemplates(): Promise<typeof Engine> {
  if (engine) return Promise.resolve(engine);
  loading ??= import('./go-template.js').then(
    (m) => (engine = m),
    (e: unknown) => {
      loading = undefined;
      throw e;
    },
  );
  return loading;
}

function loaded(): typeof Engine {
  // A command that formats without its --format flag declared would get here first: a bug.
  if (!engine) throw new Error('the template engine is not loaded (the command declares no --format flag)');
  return engine;
}

export const parseTemplate = (source: string, options?: TemplateOptions): Template => loaded().parseTemplate(source, options);
export const executeTemplate = (source: string, data: unknown, options?: TemplateOptions): string => loaded().executeTemplate(source, data, options);
export { TemplateError } from './template-error.js';

/**
 * A command's --format run as docker version and docker info run it: a parse error is
 * cli.StatusError{64, "template parsing error: ..."}, thrown before anything is written; an
 * execution error keeps what the template wrote before it (Go's Execute writes as it goes),
 * returned as `text` with the error for the command to print after it.
 */
export function runFormat(source: string, data: unknown, options: TemplateOptions): { text: string; error?: string } {
  let tmpl: Template;
  try {
    tmpl = parseTemplate(source, options);
  } catch (e) {
    if (e instanceof TemplateError) throw new CliError(`template parsing error: ${e.message}`, 64);
    throw e;
  }
  try {
    return { text: tmpl.execute(data) };
  } catch (e) {
    if (e instanceof TemplateError) return { text: e.partial, error: e.message };
    throw e;
  }
}
