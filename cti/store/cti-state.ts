import type { Collection, Db } from 'mongodb';

/** CTI's state as records, one JSON text per key (the keys and texts: cti/app/state-records.ts). */
export type StateRecords = ReadonlyMap<string, string>;

/** One write: the records new or changed since the last write, the ones gone, and all of them now. */
export interface StateChange {
  readonly put: ReadonlyArray<[string, string]>;
  readonly del: readonly string[];
  /** Every record after this change (built when asked: a checkpoint needs them, a change does not). */
  readonly records: () => StateRecords;
}

/**
 * How the state `S` is read from its records, and written as records (for the format stored before
 * records, a whole state as one text). Given by CTI (cti/app/state-records.ts): the store knows only records.
 */
export interface StateCodec<S> {
  fromRecords(records: StateRecords): S;
  toRecords(state: S): Map<string, string>;
}

/** A stored state this CTI cannot read (an older format, a damaged document): not a store failure. */
export class UnreadableState extends Error {}

/**
 * The last checkpoint: every record as one JSON text (`[[key, text], ...]`). CTI alone reads it, whole;
 * as documents the records would not even store: FerretDB v1 refuses nested arrays, and skill names or
 * contact ids would become field names. `state` is the format before records (the state whole).
 */
interface CheckpointDoc {
  _id: string;
  savedAt: Date;
  seq?: number;
  records?: string;
  state?: string;
}

/** One write after the checkpoint: the records put (JSON text of `[[key, text], ...]`) and deleted. */
interface ChangeDoc {
  _id: string;
  instance: string;
  seq: number;
  savedAt: Date;
  put: string;
  del: string[];
}

/** The log is folded into a new checkpoint once it holds as many bytes as the checkpoint, or this. */
const MIN_CHECKPOINT_BYTES = 64 * 1024;

/**
 * CTI's recovery state, per CTI instance: a checkpoint (`ctistate`, one document) and the changes
 * written since (`ctistatelog`, one small document per write, inserted: each write is atomic). Loading
 * applies the changes after the checkpoint in order. When the changes add up to the checkpoint's size
 * they are folded into a new checkpoint (replaced atomically, then the older changes deleted), so a
 * restart reads at most about twice the state and a write costs about the size of what changed.
 */
export class CtiStateStore<S extends object> {
  private readonly checkpoints: Collection<CheckpointDoc>;
  private readonly changes: Collection<ChangeDoc>;
  private seq = 0;
  private logBytes = 0;
  private checkpointBytes = 0;
  /** Until a checkpoint is written, the stored state is not what CTI holds (nothing loaded, or refused). */
  private checkpointDue = true;

  constructor(
    db: Db,
    private readonly instanceId: string,
    private readonly codec: StateCodec<S>,
  ) {
    this.checkpoints = db.collection<CheckpointDoc>('ctistate');
    this.changes = db.collection<ChangeDoc>('ctistatelog');
  }

  async load(): Promise<(S & { savedAt: number }) | null> {
    const doc = await this.checkpoints.findOne({ _id: this.instanceId });
    const log = await this.changes.find({ instance: this.instanceId }).sort({ seq: 1 }).toArray();
    if (doc === null && log.length === 0) return null;
    const base = doc?.seq ?? 0;
    const after = log.filter((c) => c.seq > base);
    const records = doc === null ? new Map<string, string>() : checkpointRecords(doc, this.codec);
    try {
      for (const c of after) {
        for (const [key, text] of JSON.parse(c.put) as Array<[string, string]>) records.set(key, text);
        for (const key of c.del) records.delete(key);
      }
      const state = this.codec.fromRecords(records);
      this.seq = Math.max(base, ...log.map((c) => c.seq));
      this.checkpointBytes = doc?.records?.length ?? doc?.state?.length ?? 0;
      this.logBytes = after.reduce((n, c) => n + c.put.length, 0);
      this.checkpointDue = doc?.records === undefined; // the older format is rewritten as records
      const savedAt = after[after.length - 1]?.savedAt ?? doc?.savedAt ?? new Date(0);
      return { ...state, savedAt: savedAt.getTime() };
    } catch (err) {
      throw new UnreadableState(`ctistate: ${(err as Error).message}`);
    }
  }

  /** CTI starts empty (nothing stored, or a state it refused): the next write replaces what is stored. */
  startOver(): void {
    this.checkpointDue = true;
  }

  async save(change: StateChange, savedAt: number): Promise<void> {
    this.seq += 1;
    const put = JSON.stringify(change.put);
    if (
      this.checkpointDue ||
      this.logBytes + put.length > Math.max(this.checkpointBytes, MIN_CHECKPOINT_BYTES)
    )
      return this.checkpoint(change.records(), savedAt);
    await this.changes.insertOne({
      _id: `${this.instanceId}:${this.seq}`,
      instance: this.instanceId,
      seq: this.seq,
      savedAt: new Date(savedAt),
      put,
      del: [...change.del],
    });
    this.logBytes += put.length;
  }

  private async checkpoint(records: StateRecords, savedAt: number): Promise<void> {
    const text = JSON.stringify([...records]);
    const seq = this.seq;
    await this.checkpoints.replaceOne(
      { _id: this.instanceId },
      { savedAt: new Date(savedAt), seq, records: text },
      { upsert: true },
    );
    this.checkpointDue = false;
    this.checkpointBytes = text.length;
    this.logBytes = 0;
    // The changes folded in are ignored by `load` from now on; deleting them only keeps the log short.
    await this.changes.deleteMany({ instance: this.instanceId, seq: { $lte: seq } });
  }
}

function checkpointRecords<S>(doc: CheckpointDoc, codec: StateCodec<S>): Map<string, string> {
  try {
    if (doc.records !== undefined) return new Map(JSON.parse(doc.records) as Array<[string, string]>);
    if (doc.state !== undefined) return codec.toRecords(JSON.parse(doc.state) as S);
  } catch (err) {
    throw new UnreadableState(`ctistate: ${(err as Error).message}`);
  }
  throw new UnreadableState('ctistate: no state text (an older format)');
}
