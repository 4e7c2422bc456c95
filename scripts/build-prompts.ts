/**
 * Builds the IVR prompts listed in asterisk/prompts/manifest.json.
 *
 *   npx tsx scripts/build-prompts.ts [--out DIR] [--only NAME] [--force] [--manifest FILE]
 */
import { parseArgs } from 'node:util';
import { createLogger, errorText } from '../lib/log';
import { buildPrompts } from '../stasis-app/media';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      only: { type: 'string' },
      manifest: { type: 'string' },
      force: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(
      'usage: npx tsx scripts/build-prompts.ts [--out DIR] [--only NAME] [--force] [--manifest FILE]\n',
    );
    return;
  }
  const log = createLogger('prompt-builder', String(process.pid));
  const report = await buildPrompts({
    log,
    force: values.force,
    ...(values.out !== undefined && { out: values.out }),
    ...(values.only !== undefined && { only: values.only }),
    ...(values.manifest !== undefined && { manifest: values.manifest }),
  });
  const built = report.prompts.filter((prompt) => prompt.status === 'built').length;
  log.info('prompts ready', {
    out: report.out,
    built,
    upToDate: report.prompts.length - built,
    elapsedMs: report.elapsedMs,
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`build-prompts: ${errorText(err)}\n`);
  process.exitCode = 1;
});
