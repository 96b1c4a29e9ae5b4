// A Go template's parse or execution error, in a module of its own: commands check for it
// (`instanceof`) without loading the template engine itself (templates.ts loads it on demand).
export class TemplateError extends Error {
  /** What the template had written before an execution error (Go keeps it). */
  partial = '';
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}
