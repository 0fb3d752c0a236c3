import fs from 'node:fs';
import path from 'node:path';
import { SERVER_VERSION, type NotApplicable } from './applicability.js';

interface FileResults {
  passed: string[];
  failed: Array<{ description: string; reason: string }>;
  skipped: Array<{ description: string } & NotApplicable>;
}

/**
 * What one suite run found, test by test, for results/<suite>.json. Skipped (not applicable) tests
 * are known when the suite is declared; applicable ones report as they finish. The file is
 * written only after a run in which every applicable test reported (not after `jest -t …`).
 */
export class SpecResults {
  private readonly files = new Map<string, FileResults>();
  private applicable = 0;
  private reported = 0;

  constructor(private readonly suite: string) {}

  private of(file: string): FileResults {
    let r = this.files.get(file);
    if (!r) this.files.set(file, (r = { passed: [], failed: [], skipped: [] }));
    return r;
  }

  skipped(file: string, description: string, why: NotApplicable): void {
    this.of(file).skipped.push({ description, ...why });
  }

  declareApplicable(file: string): void {
    this.of(file);
    this.applicable++;
  }

  passed(file: string, description: string): void {
    this.of(file).passed.push(description);
    this.reported++;
  }

  failed(file: string, description: string, reason: string): void {
    this.of(file).failed.push({ description, reason });
    this.reported++;
  }

  /** Every applicable test ran (a `jest -t` run leaves some out). */
  get complete(): boolean {
    return this.reported === this.applicable;
  }

  summary() {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const reasons: Record<string, number> = {};
    const groups: Record<string, number> = {};
    for (const r of this.files.values()) {
      passed += r.passed.length;
      failed += r.failed.length;
      skipped += r.skipped.length;
      for (const s of r.skipped) {
        reasons[s.reason] = (reasons[s.reason] ?? 0) + 1;
        groups[s.group] = (groups[s.group] ?? 0) + 1;
      }
    }
    return {
      suite: this.suite,
      source: 'mongodb/specifications unified tests read from ../shared/mongodb-spec-tests',
      assumedServer: { version: SERVER_VERSION, topology: 'replicaset (one member)' },
      gate: 'every applicable test is its own jest test and must pass; not-applicable tests are skipped with their reason',
      totals: { tests: this.applicable + skipped, applicable: this.applicable, passed, failed, skipped },
      skippedByGroup: byCount(groups),
      skippedReasons: byCount(reasons),
      files: Object.fromEntries([...this.files].sort(([a], [b]) => a.localeCompare(b))),
    };
  }

  write(file: string): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(this.summary(), null, 2)}\n`);
  }

  /** One line a spec file, for the console. */
  report(): string {
    const lines = [`=== ${this.suite} spec tests ===`];
    for (const [file, r] of this.files) {
      lines.push(`${file}: ${r.passed.length} passed / ${r.failed.length} failed / ${r.skipped.length} skipped`);
      for (const f of r.failed) lines.push(`    FAIL ${f.description}: ${f.reason}`);
    }
    const t = this.summary().totals;
    lines.push(`TOTAL ${this.suite}: ${t.applicable} applicable, ${t.passed} passed, ${t.failed} failed; ${t.skipped} skipped (not applicable)`);
    return lines.join('\n');
  }
}

function byCount(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
}
