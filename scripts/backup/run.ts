import { chown, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Db } from 'mongodb';
import { gitRevision, pack, unpack } from './archive';
import { copyHashed, copyRecordings, hashFile, hashTree, listFiles } from './files';
import { compareWithManifest, parseManifest, type Manifest } from './manifest';
import { digestCollections, dumpCollections, nonEmpty, restoreCollection } from './store';

/** Asterisk's spool directories that hold recordings: ARI recordings and voicemail, MixMonitor output. */
export const RECORDING_DIRS = ['recording', 'monitor', 'voicemail'] as const;

export interface BackupOptions {
  db: Db;
  /** Asterisk's spool directory (`$IPCC_CHROOT/var/spool/asterisk`). */
  spool: string;
  out: string;
  /** The checkout whose git revision the manifest records. */
  root: string;
  now?: () => Date;
}

async function withTemp<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ipcc-backup-'));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Dumps the store and copies the recordings into one archive; returns its manifest. */
export async function backup(o: BackupOptions): Promise<Manifest> {
  return withTemp(async (dir) => {
    await mkdir(path.join(dir, 'collections'));
    const collections = await dumpCollections(o.db, path.join(dir, 'collections'));
    const recordings = await copyRecordings(o.spool, RECORDING_DIRS, path.join(dir, 'recordings'));
    const manifest: Manifest = {
      format: 'ipcc-backup/1',
      createdAt: (o.now ?? (() => new Date()))().toISOString(),
      gitRevision: await gitRevision(o.root),
      database: o.db.databaseName,
      collections,
      recordings,
    };
    await writeFile(path.join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    await pack(dir, o.out);
    return manifest;
  });
}

export interface RestoreOptions {
  db: Db;
  spool: string;
  file: string;
  /** Drop the archive's collections first when they hold documents; without it such a restore is refused. */
  drop?: boolean;
}

export class RestoreRefused extends Error {}

/**
 * A restore run by root writes files Asterisk must be able to delete (voicemail): each restored file gets
 * the owner of its spool directory (`recording`, `monitor`, `voicemail`).
 */
async function giveToSpoolOwner(spool: string, rel: string, file: string): Promise<void> {
  if (process.getuid?.() !== 0) return;
  const owner = await stat(path.join(spool, rel.split('/')[0] as string));
  await chown(file, owner.uid, owner.gid);
}

/**
 * Restores an archive: checks its files against its manifest, recreates collections (indexes first),
 * documents and recordings, then re-reads both from the store and the disk and compares them with the
 * manifest. Throws on any difference.
 */
export async function restore(o: RestoreOptions): Promise<Manifest> {
  return withTemp(async (dir) => {
    await unpack(o.file, dir);
    const manifest = parseManifest(await readFile(path.join(dir, 'manifest.json'), 'utf8'));
    const names = Object.keys(manifest.collections);
    const inArchive = await hashTree(
      path.join(dir, 'recordings'),
      await listFiles(path.join(dir, 'recordings')).catch(() => []),
    );
    // A collection's file is exactly its hashed lines, so its SHA-256 is the manifest's.
    const dumped: Manifest['collections'] = {};
    for (const [name, entry] of Object.entries(manifest.collections)) {
      const file = await hashFile(path.join(dir, 'collections', `${name}.ejsonl`)).catch(() => null);
      if (file) dumped[name] = { count: entry.count, sha256: file.sha256 };
    }
    // Checked before anything in the store is dropped.
    const archiveProblems = compareWithManifest(
      { collections: manifest.collections, recordings: manifest.recordings },
      { collections: dumped, recordings: inArchive },
    );
    if (archiveProblems.length > 0) throw new Error(`archive damaged: ${archiveProblems.join('; ')}`);

    const busy = await nonEmpty(o.db, names);
    if (busy.length > 0 && !o.drop)
      throw new RestoreRefused(`collections hold documents: ${busy.join(', ')} (use --drop to replace them)`);
    for (const name of names) {
      await o.db
        .collection(name)
        .drop()
        .catch(() => false);
      await restoreCollection(o.db, path.join(dir, 'collections'), name);
    }
    for (const rel of Object.keys(manifest.recordings)) {
      const to = path.join(o.spool, rel);
      await copyHashed(path.join(dir, 'recordings', rel), to);
      await giveToSpoolOwner(o.spool, rel, to);
    }

    const problems = compareWithManifest(manifest, {
      collections: await digestCollections(o.db, names),
      recordings: await hashTree(o.spool, Object.keys(manifest.recordings)),
    });
    if (problems.length > 0) throw new Error(`restore does not match the manifest: ${problems.join('; ')}`);
    return manifest;
  });
}
