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
  // One set of listeners per connect, taken off at disconnect: a process (or a test run) that connects
  // again would otherwise pile them up on the one default connection.
  removeListeners();
  const onDisconnected = () => log.warn('store disconnected');
  const onReconnected = () => log.info('store reconnected');
  const onError = (err: Error) => log.error('store error', { err: err.message });
  mongoose.connection.on('disconnected', onDisconnected);
  mongoose.connection.on('reconnected', onReconnected);
  mongoose.connection.on('error', onError);
  removeListeners = () => {
    mongoose.connection.off('disconnected', onDisconnected);
    mongoose.connection.off('reconnected', onReconnected);
    mongoose.connection.off('error', onError);
    removeListeners = () => undefined;
  };
  // monitorCommands: each command's duration reaches the store latency histogram (lib/ops/store-metrics.ts).
  await mongoose.connect(uri, {
    bufferCommands: false,
    serverSelectionTimeoutMS: 5000,
    monitorCommands: true,
  });
  await ensureIndexes();
  return mongoose;
}

let removeListeners: () => void = () => undefined;

export async function disconnectStore(): Promise<void> {
  await mongoose.disconnect();
  removeListeners();
}
