import { createHash, type Hash } from 'node:crypto';

/**
 * What a backup archive holds, written as `manifest.json` at its root: enough to check, before and after a
 * restore, that every collection and every recording came back whole. Pure: no store, no disk.
 */
export interface Manifest {
  format: 'ipcc-backup/1';
  createdAt: string;
  gitRevision: string;
  database: string;
  /** Per collection: documents dumped and the SHA-256 of its EJSON lines file (`collections/<name>.ejsonl`). */
  collections: Record<string, { count: number; sha256: string }>;
  /** Per recording, by its path under `recordings/` (e.g. `recording/abc.wav`): bytes and SHA-256. */
  recordings: Record<string, { bytes: number; sha256: string }>;
}

/** A running SHA-256 over lines, so a collection is hashed as it streams and never held in memory. */
export class LineDigest {
  private readonly hash: Hash = createHash('sha256');
  count = 0;

  add(line: string): void {
    this.hash.update(line);
    this.hash.update('\n');
    this.count += 1;
  }

  hex(): string {
    return this.hash.digest('hex');
  }
}

const NAME = /^[A-Za-z0-9_.-]{1,120}$/;

/**
 * Collection names become file names: refused unless plain, so a name can never climb out of the archive
 * directory. `system.*` collections belong to the server, not to the application.
 */
export function isDumpableCollection(name: string): boolean {
  return NAME.test(name) && !name.startsWith('system.') && !name.includes('..');
}

/** A recording's path inside the archive: relative, forward slashes, no `..`, no absolute path. */
export function isSafeRelativePath(p: string): boolean {
  if (p === '' || p.startsWith('/') || p.includes('\\') || p.includes('\0')) return false;
  return p.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

/** Every difference between what the manifest promises and what was found, as readable lines. */
export function compareWithManifest(
  expected: Pick<Manifest, 'collections' | 'recordings'>,
  found: Pick<Manifest, 'collections' | 'recordings'>,
): string[] {
  const problems: string[] = [];
  const sections = [
    ['collection', expected.collections, found.collections],
    ['recording', expected.recordings, found.recordings],
  ] as const;
  for (const [what, want, got] of sections) {
    const wanted = new Map<string, object>(Object.entries(want));
    const have = new Map<string, object>(Object.entries(got));
    for (const [name, entry] of wanted) {
      const other = have.get(name);
      if (other === undefined) problems.push(`${what} ${name}: missing`);
      else if (JSON.stringify(other) !== JSON.stringify(entry))
        problems.push(`${what} ${name}: expected ${JSON.stringify(entry)}, found ${JSON.stringify(other)}`);
    }
    for (const name of have.keys())
      if (!wanted.has(name)) problems.push(`${what} ${name}: not in the manifest`);
  }
  return problems;
}

/** Reads and checks a manifest.json text; throws with the reason when it is not one this tool wrote. */
export function parseManifest(text: string): Manifest {
  const m = JSON.parse(text) as Partial<Manifest>;
  if (m.format !== 'ipcc-backup/1')
    throw new Error(`not an ipcc backup manifest (format ${String(m.format)})`);
  if (typeof m.collections !== 'object' || m.collections === null)
    throw new Error('manifest: no collections');
  if (typeof m.recordings !== 'object' || m.recordings === null) throw new Error('manifest: no recordings');
  const bad = [
    ...Object.keys(m.collections).filter((n) => !isDumpableCollection(n)),
    ...Object.keys(m.recordings).filter((p) => !isSafeRelativePath(p)),
  ];
  if (bad.length > 0) throw new Error(`manifest: unsafe names ${bad.join(', ')}`);
  return m as Manifest;
}
