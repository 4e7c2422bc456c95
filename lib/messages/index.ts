import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { Message, MessageOf, MessageType, SCHEMA_VERSION } from './schemas';

export * from './schemas';

export type Source = Message['source'];

/** Fields the sender fills in; the envelope (id, time, version, source) is added here. */
export type Draft<T extends MessageType> = Omit<MessageOf<T>, 'id' | 'at' | 'v' | 'source'>;

export function makeMessage<T extends MessageType>(source: Source, draft: Draft<T>): MessageOf<T> {
  const message = { ...draft, id: randomUUID(), at: new Date().toISOString(), v: SCHEMA_VERSION, source };
  return Message.parse(message) as MessageOf<T>;
}

export class InvalidMessage extends Error {
  readonly code = 'invalid_message';
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** Parses bytes off the wire; the reason says exactly which field is wrong, for the dead-letter queue. */
export function parseMessage(body: Buffer | string): Message {
  let raw: unknown;
  try {
    raw = JSON.parse(typeof body === 'string' ? body : body.toString('utf8'));
  } catch (err) {
    throw new InvalidMessage(`not JSON: ${(err as Error).message}`);
  }
  const result = Message.safeParse(raw);
  if (!result.success) throw new InvalidMessage(z.prettifyError(result.error).replace(/\n/g, '; '));
  return result.data;
}
