import { Histogram, register } from 'prom-client';

export const STORE_METRICS = {
  latency: 'ipcc_store_command_duration_seconds',
} as const;

/** Command names kept as labels; any other becomes `other`, so a label never grows with input. */
const COMMANDS = new Set([
  'find',
  'insert',
  'update',
  'delete',
  'findAndModify',
  'aggregate',
  'count',
  'distinct',
  'getMore',
  'killCursors',
  'createIndexes',
  'listIndexes',
  'listCollections',
  'create',
  'drop',
  'ping',
  'hello',
  'endSessions',
]);

const latency = new Histogram({
  name: STORE_METRICS.latency,
  help: 'Document store commands by client pool, command name and outcome (driver command monitoring)',
  labelNames: ['pool', 'command', 'outcome'],
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [register],
});

/** The driver's command monitoring events, as both mongodb's and mongoose's own copy emit them. */
export interface MonitoredClient {
  on(event: string, listener: (e: { commandName: string; duration: number }) => void): unknown;
}

/** A client that can ping: mongodb's MongoClient, or mongoose's. */
export interface PingableClient {
  db(): { command(command: { ping: 1 }): Promise<unknown> };
}

/**
 * Times every command of a client made with `monitorCommands: true` (the driver reports each one's
 * duration). `pool` names the client within the process (CTI has three), a fixed word from the code.
 */
export function monitorStore(client: MonitoredClient, pool: string): void {
  const observe = (commandName: string, durationMs: number, outcome: 'ok' | 'error') =>
    latency.observe(
      { pool, command: COMMANDS.has(commandName) ? commandName : 'other', outcome },
      durationMs / 1000,
    );
  client.on('commandSucceeded', (e) => observe(e.commandName, e.duration, 'ok'));
  client.on('commandFailed', (e) => observe(e.commandName, e.duration, 'error'));
}

/** The readiness ping: the store answers a command (FerretDB answers `ping` without a table read). */
export function pingStore(client: PingableClient): Promise<unknown> {
  return client.db().command({ ping: 1 });
}
