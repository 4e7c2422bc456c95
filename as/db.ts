import mongoose from 'mongoose';
import type { Logger } from '../lib/log';
import { ensureIndexes } from './models';

/**
 * Connects mongoose's default connection (the one the models use). Commands are never buffered, so a
 * request during an outage fails at once. Operator injection is stopped at the edge (joi refuses objects
 * where strings are expected and `$` in free-form keys); mongoose's `sanitizeFilter` is not used because it
 * also neutralises the services' own range operators.
 */
export async function connectStore(uri: string, log: Logger): Promise<typeof mongoose> {
  mongoose.set('bufferCommands', false);
  mongoose.set('strictQuery', true);
  mongoose.connection.on('disconnected', () => log.warn('store disconnected'));
  mongoose.connection.on('reconnected', () => log.info('store reconnected'));
  mongoose.connection.on('error', (err: Error) => log.error('store error', { err: err.message }));
  await mongoose.connect(uri, { bufferCommands: false, serverSelectionTimeoutMS: 5000 });
  await ensureIndexes();
  return mongoose;
}

export async function disconnectStore(): Promise<void> {
  await mongoose.disconnect();
}
