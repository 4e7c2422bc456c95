import { MongoClient } from 'mongodb';
import { defaults, envInt } from '../../lib/config';
import type { Readiness } from '../../lib/ops/readiness';
import { monitorStore, pingStore } from '../../lib/ops/store-metrics';

/**
 * CTI's two connection pools to the store, connected, metered, and the first one probed for readiness.
 * Fail fast rather than buffer: a CTI that cannot store must not acknowledge events.
 * FerretDB v1 holds at most 50 PostgreSQL connections and hung (every request waiting, PostgreSQL idle)
 * when CTI sent it several hundred requests at once: CTI's own requests are kept well below. Two pools:
 * CTI's own state (written before every command) never queues behind the history writes (timelines,
 * agent-state records) of a busy moment; 4 + 12 connections in all.
 */
export async function connectStores(
  readiness: Readiness,
): Promise<{ mongo: MongoClient; historyMongo: MongoClient }> {
  const mongo = new MongoClient(defaults.mongoUri(), {
    serverSelectionTimeoutMS: 5_000,
    maxPoolSize: envInt('CTI_STATE_CONNECTIONS', 4),
    monitorCommands: true,
  });
  const historyMongo = new MongoClient(defaults.mongoUri(), {
    serverSelectionTimeoutMS: 5_000,
    maxPoolSize: envInt('CTI_HISTORY_CONNECTIONS', 12),
    monitorCommands: true,
  });
  monitorStore(mongo, 'state');
  monitorStore(historyMongo, 'history');
  readiness.probe('store', () => pingStore(mongo));
  await Promise.all([mongo.connect(), historyMongo.connect()]);
  return { mongo, historyMongo };
}
