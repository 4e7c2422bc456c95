import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import mongoose from 'mongoose';

/** The GridFS bucket ISAG stores attachments in and the AS serves them from. */
export const BUCKET = 'attachments';

export interface StoredFile {
  /** As stored: an ObjectId (GridFS's default) or a string chosen by the writer. */
  id: unknown;
  name: string;
  size: number;
  contentType: string;
  interactionId: string | undefined;
}

/** The file metadata ISAG and the AS write: which contact and message a file belongs to. */
interface FileDoc {
  _id: unknown;
  filename?: string;
  length?: number;
  contentType?: string;
  metadata?: { interactionId?: unknown; messageId?: unknown; contentType?: unknown };
}

/**
 * The GridFS adapter, on the driver mongoose itself uses (`mongoose.mongo`): a second copy of the
 * driver would not accept mongoose's connection objects.
 */
function bucket(): mongoose.mongo.GridFSBucket {
  const db = mongoose.connection.db;
  if (db === undefined) throw new Error('the store is not connected');
  return new mongoose.mongo.GridFSBucket(db, { bucketName: BUCKET });
}

/** A file id from a URL: 24 hex digits are GridFS's ObjectIds; anything else is looked up as a string. */
export function fileIdOf(text: string): unknown {
  return /^[0-9a-f]{24}$/i.test(text) ? new mongoose.mongo.ObjectId(text) : text;
}

export function fileIdText(id: unknown): string {
  return id instanceof mongoose.mongo.ObjectId ? id.toHexString() : String(id);
}

export async function findFile(id: string): Promise<StoredFile | null> {
  const [doc] = (await bucket()
    .find({ _id: fileIdOf(id) } as mongoose.mongo.Filter<mongoose.mongo.GridFSFile>)
    .limit(1)
    .toArray()) as FileDoc[];
  if (doc === undefined) return null;
  const meta = doc.metadata ?? {};
  const declared = doc.contentType ?? (typeof meta.contentType === 'string' ? meta.contentType : undefined);
  return {
    id: doc._id,
    name: doc.filename ?? 'attachment',
    size: doc.length ?? 0,
    contentType: declared ?? 'application/octet-stream',
    interactionId: typeof meta.interactionId === 'string' ? meta.interactionId : undefined,
  };
}

export function openFile(id: unknown): Readable {
  return bucket().openDownloadStream(id as mongoose.mongo.ObjectId);
}

/** Copies a file hapi wrote (multipart upload) into the bucket; answers its id. */
export async function storeFile(
  path: string,
  name: string,
  contentType: string,
  metadata: { interactionId: string; messageId: string },
): Promise<mongoose.mongo.ObjectId> {
  const upload = bucket().openUploadStream(name, { metadata: { ...metadata, contentType } });
  await pipeline(createReadStream(path), upload);
  return upload.id;
}

/** Removes files written for a reply that was then refused or failed to store. */
export async function removeFiles(ids: readonly unknown[]): Promise<void> {
  const b = bucket();
  for (const id of ids) await b.delete(id as mongoose.mongo.ObjectId).catch(() => undefined);
}
