import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateOpenapi } from '../as/plugins/openapi/generate';

/**
 * npx tsx scripts/openapi.ts [file]   the AS's OpenAPI document (stdout, or the file), built in-process
 * npx tsx scripts/openapi.ts --lint   lints it with Redocly's recommended rules (redocly.yaml); exit 1 on
 *                                     any error or warning (npm run lint:openapi)
 */
const ROOT = path.resolve(__dirname, '..');

function lint(text: string): number {
  const dir = mkdtempSync(path.join(tmpdir(), 'ipcc-openapi-'));
  try {
    const file = path.join(dir, 'openapi.json');
    writeFileSync(file, text);
    const bin = path.join(ROOT, 'node_modules/.bin/redocly');
    const args = ['lint', file, '--config', path.join(ROOT, 'redocly.yaml'), '--format=json'];
    const run = spawnSync(bin, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const report = JSON.parse(run.stdout) as {
      totals: { errors: number; warnings: number };
      problems: { ruleId: string; severity: string; message: string; location?: { pointer?: string }[] }[];
    };
    for (const p of report.problems)
      console.log(`${p.severity} ${p.ruleId} ${p.location?.[0]?.pointer ?? ''}: ${p.message}`);
    console.log(`openapi lint: ${report.totals.errors} errors, ${report.totals.warnings} warnings`);
    // Warnings count as failures: the recommended rules are the contract.
    return report.totals.errors + report.totals.warnings === 0 ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

generateOpenapi()
  .then((doc) => {
    const text = `${JSON.stringify(doc, null, 2)}\n`;
    const arg = process.argv[2];
    if (arg === '--lint') process.exitCode = lint(text);
    else if (arg) writeFileSync(arg, text);
    else process.stdout.write(text);
  })
  .catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
