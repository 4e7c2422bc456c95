import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Packs the staging directory `dir` into one gzip'd tar at `file` (system GNU tar: streams, no size limit). */
export async function pack(dir: string, file: string): Promise<void> {
  await run('tar', ['-czf', file, '-C', dir, '.']);
}

/**
 * Unpacks `file` into the empty directory `dir`. Members are refused unless they are plain relative paths
 * (GNU tar already strips leading `/` and refuses `..`; `--no-same-owner` keeps the restoring user's).
 */
export async function unpack(file: string, dir: string): Promise<void> {
  const { stdout } = await run('tar', ['-tzf', file], { maxBuffer: 256 * 1024 * 1024 });
  const bad = stdout
    .split('\n')
    .filter((m) => m !== '' && (m.startsWith('/') || m.split('/').includes('..')));
  if (bad.length > 0) throw new Error(`archive has unsafe members: ${bad.slice(0, 5).join(', ')}`);
  await run('tar', ['-xzf', file, '-C', dir, '--no-same-owner']);
}

/** The checkout's commit, recorded in the manifest; `unknown` outside a git checkout. */
export async function gitRevision(cwd: string): Promise<string> {
  return run('git', ['rev-parse', 'HEAD'], { cwd }).then(
    (r) => r.stdout.trim(),
    () => 'unknown',
  );
}
