// `docker <object> inspect --format TEMPLATE` (docker/cli's TemplateInspector): the template
// is parsed before anything is fetched, so a parse error is the only thing printed; an
// element whose template fails to execute is reported like a lookup failure while the
// other elements still print; and the output is at least one newline, even when every
// reference failed.
import { CliError } from '../command.js';
import type { Template } from './go-template.js';
import { parseTemplate, TemplateError } from './templates.js';

export class TemplateInspector {
  private readonly tmpl: Template;
  private out = '';

  /** Throws the CLI's "template parsing error" when the template does not parse. */
  constructor(
    private readonly source: string,
    rootType: string,
  ) {
    try {
      this.tmpl = parseTemplate(source, { rootType });
    } catch (e) {
      if (e instanceof TemplateError) throw new CliError(`template parsing error: ${e.message}`);
      throw e;
    }
  }

  /**
   * Renders one element; returns the error text to report if the template failed on it. With
   * `raw` (the daemon's JSON as decoded, untyped), a template that fails on the typed element is
   * run again on that, as docker's tryRawInspectFallback does: `{{.Id}}` of a network works,
   * though network.Inspect's field is `ID`.
   */
  inspect(element: unknown, raw?: unknown): string | undefined {
    try {
      this.out += this.tmpl.execute(element) + '\n';
      return undefined;
    } catch (e) {
      if (!(e instanceof TemplateError)) throw e;
      if (raw === undefined) return `template parsing error: ${e.message}`;
    }
    try {
      this.out += (this.rawTmpl ??= parseTemplate(this.source, {})).execute(raw) + '\n';
      return undefined;
    } catch (e) {
      if (e instanceof TemplateError) return `template parsing error: ${e.message}`;
      throw e;
    }
  }

  private rawTmpl: Template | undefined;

  /** What goes to stdout once all references were tried. */
  flush(): string {
    return this.out === '' ? '\n' : this.out;
  }
}
