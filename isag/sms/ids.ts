import { createHash } from 'node:crypto';

/** The namespace of every id ISAG's SMS part derives (a fixed random UUID). */
const NAMESPACE = Buffer.from('6f1d4f0a8e2b4c57a1e39b2d7c5e8f40', 'hex');

/**
 * A name-based UUID (RFC 9562 version 5): the same name gives the same id. A provider's message id
 * becomes the `messages` _id, so a duplicate webhook collides on the store's unique _id and is stored
 * once; the outbox record and the bus message of that message get ids derived the same way, so a retry
 * after a crash rewrites nothing and CTI sees the same bus message id.
 */
export function nameUuid(name: string): string {
  const hash = createHash('sha1').update(NAMESPACE).update(name, 'utf8').digest();
  const b = Buffer.from(hash.subarray(0, 16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x50;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
