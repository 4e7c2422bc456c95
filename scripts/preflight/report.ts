import type { CheckResult } from './checks';

/** The checks as lines for a terminal: one line per check, its fix indented below a failure. */
export function reportText(results: readonly CheckResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    lines.push(`${r.ok ? 'PASS' : 'FAIL'}  ${r.id.padEnd(10)} ${r.title}: ${r.detail}`);
    if (!r.ok && r.fix !== undefined) lines.push(`      fix: ${r.fix}`);
  }
  const failed = results.filter((r) => !r.ok).length;
  lines.push(
    failed === 0
      ? `preflight: all ${results.length} checks passed`
      : `preflight: ${failed} of ${results.length} checks failed (${results
          .filter((r) => !r.ok)
          .map((r) => r.id)
          .join(', ')})`,
  );
  return `${lines.join('\n')}\n`;
}
