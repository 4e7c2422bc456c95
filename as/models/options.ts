import type { SchemaOptions } from 'mongoose';

/**
 * Options every schema shares. `bufferCommands: false` makes a query fail at once while the store is
 * unreachable instead of queueing forever (mongoose's default), so requests get a 503 and the CTI notices.
 */
export const baseOptions = {
  bufferCommands: false,
  strict: 'throw',
  strictQuery: true,
  timestamps: false,
  versionKey: false,
} as const satisfies SchemaOptions;

/** Names of things referenced from IVR flows and dialplans: prompts, queues, skills. */
export const NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;
