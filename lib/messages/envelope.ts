import { z } from 'zod';

/** The fields every message carries, and the primitives the message schemas share. */
export const SCHEMA_VERSION = 1;

// No NUL anywhere: the document store behind CTI (PostgreSQL) cannot hold it, so a message carrying one
// would be accepted here and then fail when stored. Callers' data is cleaned by SoftACD (callerText).
// eslint-disable-next-line no-control-regex -- finding NUL is the point
export const noNul = /^[^\u0000]*$/;
export const id = z.string().min(1).max(128).regex(noNul, 'no NUL characters');
export const phone = z.string().max(256).regex(noNul, 'no NUL characters');
export const media = z.enum(['audio', 'audio+video']);
export const contactChannel = z.enum(['voice', 'video', 'email', 'sms', 'fax']);

export const envelope = {
  id: z.uuid(),
  contactId: id,
  source: z
    .object({ service: z.enum(['softacd', 'cti', 'ivr', 'as', 'isag', 'agent']), instance: id })
    .strict(),
  at: z.iso.datetime(),
  v: z.literal(SCHEMA_VERSION),
};
