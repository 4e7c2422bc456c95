import type { Collection, Db } from 'mongodb';
import type { CtiState } from '../app/persistence';

/** A stored state this CTI cannot read (an older format, a damaged document): not a store failure. */
export class UnreadableState extends Error {}

interface CtiStateDoc {
  _id: string;
  savedAt: Date;
  /**
   * The state as JSON text. CTI alone reads it, whole; as a document it would not even store: FerretDB
   * v1 refuses nested arrays, and skill names or contact ids would become field names.
   */
  state: string;
}

/**
 * CTI's recovery state: one document per CTI instance (`ctistate`), replaced whole on every write.
 * The instance id keys it, so a second CTI instance never reads another's queues.
 */
export class CtiStateStore {
  private readonly col: Collection<CtiStateDoc>;

  constructor(
    db: Db,
    private readonly instanceId: string,
  ) {
    this.col = db.collection<CtiStateDoc>('ctistate');
  }

  async load(): Promise<CtiState | null> {
    const doc = await this.col.findOne({ _id: this.instanceId });
    if (doc === null) return null;
    if (typeof doc.state !== 'string' || !(doc.savedAt instanceof Date))
      throw new UnreadableState('ctistate: no state text (an older format)');
    try {
      const state = JSON.parse(doc.state) as Omit<CtiState, 'savedAt'>;
      return { ...state, savedAt: doc.savedAt.getTime() };
    } catch (err) {
      throw new UnreadableState(`ctistate: ${(err as Error).message}`);
    }
  }

  async save(text: string, savedAt: number): Promise<void> {
    await this.col.replaceOne(
      { _id: this.instanceId },
      { savedAt: new Date(savedAt), state: text },
      { upsert: true },
    );
  }
}
