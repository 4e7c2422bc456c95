import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Manifest } from './manifest';

/** Every regular file under `root`, as paths relative to it with forward slashes, sorted. */
export async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string, rel: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const e of entries) {
      const relPath = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) await walk(path.join(dir, e.name), relPath);
      else if (e.isFile()) out.push(relPath);
    }
  };
  await walk(root, '');
  return out.sort();
}

/**
 * Copies one file while hashing the bytes copied, so the manifest describes exactly what the archive
 * holds even when Asterisk is still appending to a recording.
 */
export async function copyHashed(from: string, to: string): Promise<{ bytes: number; sha256: string }> {
  await mkdir(path.dirname(to), { recursive: true });
  const hash = createHash('sha256');
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  await pipeline(createReadStream(from), tap, createWriteStream(to));
  return { bytes, sha256: hash.digest('hex') };
}

export async function hashFile(file: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return { bytes: (await stat(file)).size, sha256: hash.digest('hex') };
}

/**
 * Copies the recording directories (`recording`, `monitor`, `voicemail`: whichever exist under Asterisk's
 * spool) into `dest`, returning the manifest entries by path relative to `dest`.
 */
export async function copyRecordings(
  spool: string,
  subdirs: readonly string[],
  dest: string,
): Promise<Manifest['recordings']> {
  const entries: Manifest['recordings'] = {};
  for (const sub of subdirs) {
    const root = path.join(spool, sub);
    const exists = await stat(root).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (!exists) continue;
    for (const rel of await listFiles(root)) {
      entries[`${sub}/${rel}`] = await copyHashed(path.join(root, rel), path.join(dest, sub, rel));
    }
  }
  return entries;
}

/** The manifest entries of files as they are now under `root`, for the checks after a restore. */
export async function hashTree(root: string, only: Iterable<string>): Promise<Manifest['recordings']> {
  const out: Manifest['recordings'] = {};
  for (const rel of only) {
    const file = path.join(root, rel);
    const found = await hashFile(file).catch(() => null);
    if (found) out[rel] = found;
  }
  return out;
}
