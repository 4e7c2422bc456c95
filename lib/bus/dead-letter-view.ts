import { createHash } from 'node:crypto';
import { REASON_HEADER } from './topology';

/** The header naming the exchange a dead letter was first published to (dead-letter.ts). */
export const EXCHANGE_HEADER = 'x-ipcc-exchange';

/** What the broker hands over for one message of the dead-letter queue (amqplib's GetMessage, narrowed). */
export interface RawDeadLetter {
  routingKey: string;
  content: Buffer;
  headers: Record<string, unknown> | undefined;
  messageId: string | undefined;
  timestamp: number | undefined;
}

/** One dead letter as the operator reads it, and where a replay sends it. */
export interface DeadLetter {
  /** The message's own id; a content hash for a message with none (one that failed validation). */
  id: string;
  type: string | undefined;
  exchange: string;
  routingKey: string;
  reason: string;
  /** When it was dead-lettered (x-death's time, or the bus's timestamp), else when the message was made (`at`). */
  time: string | undefined;
  bytes: number;
}

function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  return undefined;
}

/** The message's JSON fields, if it is a JSON object at all. */
function body(content: Buffer): Map<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(content.toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      return new Map(Object.entries(parsed));
  } catch {
    // Not JSON: the reason header says so; the listing still shows it.
  }
  return new Map();
}

/**
 * Reads a dead letter in either form the bus produces: the bus's own (published to cc.dlx with the
 * reason and the original exchange in headers, lib/bus/bus.ts) or the broker's (a queue's
 * x-dead-letter-exchange after a reject, with an `x-death` entry naming exchange, routing keys and time).
 */
export function describeDeadLetter(raw: RawDeadLetter): DeadLetter {
  const headers = new Map(Object.entries(raw.headers ?? {}));
  const fields = body(raw.content);
  const deaths = headers.get('x-death');
  const death = Array.isArray(deaths)
    ? new Map<string, unknown>(Object.entries((deaths[0] ?? {}) as object))
    : undefined;
  const deathKeys = death?.get('routing-keys');
  const deathTime = death?.get('time');
  const ownId = text(fields.get('id'));
  const id =
    ownId ?? raw.messageId ?? `sha256-${createHash('sha256').update(raw.content).digest('hex').slice(0, 16)}`;
  const ownReason = text(headers.get(REASON_HEADER));
  return {
    id,
    type: text(fields.get('type')),
    exchange: text(headers.get(EXCHANGE_HEADER)) ?? text(death?.get('exchange')) ?? '',
    routingKey:
      ownReason === undefined && Array.isArray(deathKeys)
        ? (text(deathKeys[0]) ?? raw.routingKey)
        : raw.routingKey,
    reason: ownReason ?? `${text(death?.get('reason')) ?? 'unknown'} in ${text(death?.get('queue')) ?? '?'}`,
    time: timeOf(deathTime) ?? timeOf(raw.timestamp) ?? text(fields.get('at')),
    bytes: raw.content.length,
  };
}

/** AMQP timestamps are whole seconds; amqplib gives x-death's as `{ '!': 'timestamp', value }`. */
function timeOf(v: unknown): string | undefined {
  const seconds =
    typeof v === 'number'
      ? v
      : typeof v === 'object' && v !== null && 'value' in v
        ? Number(v.value)
        : undefined;
  return seconds === undefined || !Number.isFinite(seconds)
    ? undefined
    : new Date(seconds * 1000).toISOString();
}

/** The headers a replayed message carries: the original ones, without the dead-letter bookkeeping. */
export function replayHeaders(headers: Record<string, unknown> | undefined): Record<string, unknown> {
  const kept = new Map(Object.entries(headers ?? {}));
  for (const k of [
    REASON_HEADER,
    EXCHANGE_HEADER,
    'x-death',
    'x-first-death-exchange',
    'x-first-death-queue',
    'x-first-death-reason',
    'x-last-death-exchange',
    'x-last-death-queue',
    'x-last-death-reason',
  ])
    kept.delete(k);
  return Object.fromEntries(kept);
}
