import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { BSON, type Db, type Document, type IndexDescription } from 'mongodb';
import { isDumpableCollection, LineDigest, type Manifest } from './manifest';

const { EJSON } = BSON;
// Canonical EJSON keeps every BSON type (Int32 vs Double vs Long, ObjectId, Date, Binary, Decimal128).
const CANONICAL = { relaxed: false } as const;
const BATCH = 500;

export async function collectionNames(db: Db): Promise<string[]> {
  const infos = await db.listCollections({}, { nameOnly: true }).toArray();
  const names = infos.map((c) => c.name).filter((n) => !n.startsWith('system.'));
  // Skipping a collection would lose it silently: a name that cannot be a file name stops the backup.
  const odd = names.filter((n) => !isDumpableCollection(n));
  if (odd.length > 0) throw new Error(`collections with names a backup cannot hold: ${odd.join(', ')}`);
  return names.sort();
}

async function writeLine(out: WriteStream, line: string): Promise<void> {
  if (!out.write(`${line}\n`)) await once(out, 'drain');
}

/** One collection's documents in `_id` order, one canonical EJSON line each: the order the checks rely on. */
async function* documentLines(db: Db, name: string): AsyncGenerator<string> {
  const cursor = db.collection(name).find({}, { sort: { _id: 1 }, batchSize: BATCH });
  try {
    for await (const doc of cursor) yield EJSON.stringify(doc, CANONICAL);
  } finally {
    await cursor.close();
  }
}

/**
 * Streams every collection of `db` into `dir` (`<name>.ejsonl` and `<name>.indexes.json`) through a
 * cursor, hashing as it goes. Returns the manifest's collection entries.
 */
export async function dumpCollections(db: Db, dir: string): Promise<Manifest['collections']> {
  const out: Manifest['collections'] = {};
  for (const name of await collectionNames(db)) {
    const digest = new LineDigest();
    const file = createWriteStream(path.join(dir, `${name}.ejsonl`));
    const closed = once(file, 'close');
    for await (const line of documentLines(db, name)) {
      digest.add(line);
      await writeLine(file, line);
    }
    file.end();
    await closed;
    const indexes = await db.collection(name).indexes();
    await writeFile(path.join(dir, `${name}.indexes.json`), `${JSON.stringify(indexes, null, 2)}\n`);
    out[name] = { count: digest.count, sha256: digest.hex() };
  }
  return out;
}

/** Re-reads the collections as they are in the store now, with the same hashing as the dump. */
export async function digestCollections(db: Db, names: Iterable<string>): Promise<Manifest['collections']> {
  const out: Manifest['collections'] = {};
  const present = new Set(await collectionNames(db));
  for (const name of names) {
    if (!present.has(name)) continue;
    const digest = new LineDigest();
    for await (const line of documentLines(db, name)) digest.add(line);
    out[name] = { count: digest.count, sha256: digest.hex() };
  }
  return out;
}

/** The names among `names` whose collection exists in `db` and holds at least one document. */
export async function nonEmpty(db: Db, names: Iterable<string>): Promise<string[]> {
  const present = new Set(await collectionNames(db));
  const out: string[] = [];
  for (const name of names) {
    if (present.has(name) && (await db.collection(name).findOne({}, { projection: { _id: 1 } })) !== null)
      out.push(name);
  }
  return out;
}

/** An index definition as `listIndexes` gave it, turned back into what `createIndexes` takes. */
export function indexSpec(def: Document): IndexDescription | null {
  const {
    key,
    name,
    v: _v,
    ns: _ns,
    ...options
  } = def as { key: Document; name: string; v?: unknown; ns?: unknown };
  if (name === '_id_') return null;
  return { key, name, ...options };
}

/**
 * Recreates one collection from its dump: the collection, its indexes (before the documents, so a unique
 * index refuses a duplicate instead of being impossible to build afterwards), then the documents in batches.
 */
export async function restoreCollection(db: Db, dir: string, name: string): Promise<void> {
  await db.createCollection(name);
  const defs = JSON.parse(await readFile(path.join(dir, `${name}.indexes.json`), 'utf8')) as Document[];
  const specs = defs.map(indexSpec).filter((s): s is IndexDescription => s !== null);
  if (specs.length > 0) await db.collection(name).createIndexes(specs);
  const lines = createInterface({
    input: createReadStream(path.join(dir, `${name}.ejsonl`)),
    crlfDelay: Infinity,
  });
  let batch: Document[] = [];
  for await (const line of lines) {
    if (line === '') continue;
    batch.push(EJSON.parse(line, CANONICAL) as Document);
    if (batch.length >= BATCH) {
      await db.collection(name).insertMany(batch, { ordered: true });
      batch = [];
    }
  }
  if (batch.length > 0) await db.collection(name).insertMany(batch, { ordered: true });
}
