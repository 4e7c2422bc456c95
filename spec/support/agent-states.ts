import type { Db, Document, Filter } from 'mongodb';
import { eventually } from './bus-observer';

/**
 * An agent's stored state changes matching `filter`, oldest first, as `state` or `state:reason`, once
 * `done` says they are all in. CTI writes them behind its events (every CTI_HISTORY_WRITE_MS), so they
 * are waited for, up to `ms`; a timeout says what was stored.
 */
export async function storedAgentStates(
  db: Db,
  filter: Filter<Document>,
  done: (states: string[]) => boolean,
  ms?: number,
): Promise<string[]> {
  const read = async () => {
    const rows = await db.collection('agentstates').find(filter).sort({ at: 1 }).toArray();
    return rows.map((x) => `${String(x.state)}${x.reason ? `:${String(x.reason)}` : ''}`);
  };
  return eventually(
    'agent states stored',
    async () => {
      const states = await read();
      return done(states) ? states : undefined;
    },
    ms,
  ).catch(async (err: Error) => {
    throw new Error(`${err.message}; stored: ${(await read()).join(', ')}`);
  });
}
