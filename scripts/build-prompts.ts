/**
 * Builds the IVR prompts listed in asterisk/prompts/manifest.json.
 *
 *   npx tsx scripts/build-prompts.ts [--out DIR] [--only NAME] [--force] [--verify] [--manifest FILE]
 *
 * --verify decodes every built prompt's video with ffmpeg and checks frame counts against the audio.
 */
import { parseArgs } from 'node:util';
import { createLogger, errorText } from '../lib/log';
import { buildPrompts, loadManifest } from '../stasis-app/media';
import { checkPrompt } from '../stasis-app/media/check';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      only: { type: 'string' },
      manifest: { type: 'string' },
      force: { type: 'boolean', default: false },
      verify: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(
      'usage: npx tsx scripts/build-prompts.ts [--out DIR] [--only NAME] [--force] [--verify] [--manifest FILE]\n',
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
  if (values.verify) {
    const manifest = await loadManifest(values.manifest);
    for (const prompt of report.prompts) {
      log.info('prompt verified', { ...(await checkPrompt(report.out, prompt.name, manifest.defaults)) });
    }
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`build-prompts: ${errorText(err)}\n`);
  process.exitCode = 1;
});
