import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const HEADLINE_END = '<!-- /headline -->';

const begin = (name: string): string => `<!-- section:${name} -->`;
const end = (name: string): string => `<!-- /section:${name} -->`;

/**
 * BENCHMARKS.md as headline lines plus one marked section per scenario, so a run of one
 * scenario rewrites only its own section and keeps the others from earlier runs.
 */
export class BenchmarksFile {
  private headline: string;
  private readonly sections = new Map<string, string>();

  constructor(private readonly file: string, private readonly order: string[]) {
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    const cut = text.indexOf(HEADLINE_END);
    this.headline = cut >= 0 ? text.slice(0, cut).trim() : '';
    for (const name of order) {
      const from = text.indexOf(begin(name));
      const to = text.indexOf(end(name));
      if (from >= 0 && to > from) this.sections.set(name, text.slice(from + begin(name).length, to).trim());
    }
  }

  setHeadline(lines: string[]): void {
    // Blank lines between them keep each ratio on its own line when rendered.
    this.headline = lines.join('\n\n');
  }

  setSection(name: string, markdown: string): void {
    this.sections.set(name, markdown.trim());
  }

  save(intro: string): void {
    const parts = [this.headline || '(no federation run yet)', HEADLINE_END, '', intro.trim(), ''];
    for (const name of this.order) {
      const body = this.sections.get(name) ?? `## ${name}\n\nNot run yet.`;
      parts.push(begin(name), body, end(name), '');
    }
    writeFileSync(this.file, parts.join('\n'));
  }
}
