import type { Collection, Db, UpdateOneModel, UpdateResult } from 'mongodb';
import { KeyedHold } from '../../lib/keyed-hold';
import { KeyedSerial } from '../../lib/keyed-serial';
import { type RetryOptions, isTransient, retryTransient } from '../../lib/transient';

export interface TimelineEntry {
  at: Date;
  type: string;
  data?: Record<string, unknown>;
  /**
   * The bus message the entry records. Not stored in the entry: it goes to the interaction's
   * `messageIds`, so a message redelivered after a CTI crash (handled, not yet acked) is recorded once.
   */
  messageId?: string;
}

/** The interactions collection as CTI writes it (the AS reads it; see docs/data-model.md). */
export interface InteractionDoc {
  _id: string;
  channel: 'voice' | 'video' | 'email' | 'sms' | 'fax';
  direction: 'inbound' | 'outbound';
  from: string;
  to: string;
  /** A task's subject (ISAG writes it: an e-mail's Subject). */
  subject?: string;
  state: string;
  createdAt: Date;
  softacd?: string;
  queueId?: string;
  agentId?: string;
  queuedAt?: Date;
  offeredAt?: Date;
  answeredAt?: Date;
  endedAt?: Date;
  abandoned?: boolean;
  /** `system`: CTI cleared the contact because its call was gone (reconciliation), not a caller's abandon. */
  clearedBy?: 'system';
  /** The call's recording (queues with `recording: true`), from SoftACD's RecordingStored. */
  recording?: { name: string; format: string; durationSec: number; path: string };
  timeline: TimelineEntry[];
  /** Ids of the bus messages already on the timeline (a flat array: FerretDB v1 mis-evaluates `$ne` on
   * a field inside an array of documents, it does not on an array of strings). */
  messageIds?: string[];
}

type Op =
  | { kind: 'create'; doc: Omit<InteractionDoc, 'timeline' | 'messageIds'>; first: TimelineEntry }
  | { kind: 'record'; contactId: string; entry: TimelineEntry; set: Partial<InteractionDoc> };

type Update = UpdateOneModel<InteractionDoc>;

/** One contact's consecutive records written as one update: their entries, message ids and fields. */
interface Merged {
  contactId: string;
  entries: Array<Omit<TimelineEntry, 'messageId'>>;
  ids: string[];
  set: Partial<InteractionDoc>;
  /** The records merged, in order: the slow path writes them one by one. */
  records: Array<Extract<Op, { kind: 'record' }>>;
}

/** How long a contact's writes are held to share one store operation (lib/keyed-hold.ts). */
export interface Pacing {
  /** Written once the contact is quiet for `quietMs` (0: the writes of one turn), at most after `maxMs`. */
  hold?: { quietMs: number; maxMs: number };
}

interface HeldOp {
  op: Op;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * The interactions as CTI writes them. Every write is an atomic update that appends to the contact's
 * timeline. A call's history comes in bursts (routing, the agent ringing and answering, the end): a
 * contact's writes are held until it goes quiet and each burst is written as one update (or created with
 * the contact), so a store rewrite of the growing document per event (the store's costly part) becomes
 * one per burst. Each contact's bursts are written in order, one at a time; different contacts side by
 * side, as many as the driver's pool allows (no batch of all contacts waits for its slowest member).
 */
export class InteractionStore {
  private readonly col: Collection<InteractionDoc>;
  private readonly hold: KeyedHold<HeldOp>;
  private readonly serial = new KeyedSerial();
  private counts = { bursts: 0, ops: 0, writes: 0 };

  /**
   * A store restarting delays a write (retryTransient) rather than failing the event being handled.
   * `pacing`: for writers that do not wait for their writes on the answer path (CTI's history).
   */
  constructor(
    db: Db,
    private readonly retry: RetryOptions = {},
    pacing: Pacing = {},
  ) {
    this.col = db.collection<InteractionDoc>('interactions');
    this.hold = new KeyedHold<HeldOp>(
      (contactId, held) => this.writeBurst(contactId, held),
      pacing.hold ?? { quietMs: 0, maxMs: 0 },
    );
  }

  /** Creates the contact's document with its first entry (a redelivered creation changes nothing). */
  create(doc: Omit<InteractionDoc, 'timeline' | 'messageIds'>, first: TimelineEntry): Promise<void> {
    return this.submit(doc._id, { kind: 'create', doc, first });
  }

  /**
   * Appends an entry (and applies `set`) unless the entry's message is on the timeline already; an
   * entry without a message id is always appended.
   */
  record(contactId: string, entry: TimelineEntry, set: Partial<InteractionDoc> = {}): Promise<void> {
    return this.submit(contactId, { kind: 'record', contactId, entry, set });
  }

  /** The contact's document, with every write asked before this call in it. */
  async find(contactId: string): Promise<InteractionDoc | null> {
    this.hold.release(contactId);
    await this.serial.idle(contactId);
    return retryTransient('interaction find', () => this.col.findOne({ _id: contactId }), this.retry);
  }

  /** Writes the contact's held entries now; resolves once every write asked so far for it is stored. */
  async written(contactId: string): Promise<void> {
    this.hold.release(contactId);
    await this.serial.idle(contactId);
  }

  /** Resolves once every write asked so far is stored (the process is stopping). */
  flush(): Promise<void> {
    this.hold.releaseAll();
    return this.serial.idleAll();
  }

  /** Contacts with writes held back. */
  get held(): number {
    return this.hold.size;
  }

  /** Bursts written, operations they carried, store writes they took (ops / writes = the grouping). */
  get stats(): { bursts: number; ops: number; writes: number } {
    return { ...this.counts };
  }

  private submit(contactId: string, op: Op): Promise<void> {
    return new Promise((resolve, reject) => this.hold.add(contactId, { op, resolve, reject }));
  }

  private writeBurst(contactId: string, held: HeldOp[]): void {
    this.counts.bursts += 1;
    this.counts.ops += held.length;
    // Errors are per operation: each caller learns its own; the chain itself never rejects.
    void this.serial.run(contactId, async () => {
      const errors = await this.write(held.map((h) => h.op)).catch((err: unknown) => held.map(() => err));
      held.forEach((h, i) => {
        const err = errors[i];
        if (err === undefined) h.resolve();
        else h.reject(err);
      });
    });
  }

  private async write(ops: readonly Op[]): Promise<unknown[]> {
    const errors = new Map<Op, unknown>();
    await Promise.all(
      [...plan(ops).values()].map(async (groups) => {
        for (const g of groups) await this.writeGroup(g, errors);
      }),
    );
    return ops.map((op) => errors.get(op));
  }

  private async writeGroup(g: Group, errors: Map<Op, unknown>): Promise<void> {
    try {
      const r = await this.updateOne(g.update);
      // Nothing matched: the contact is unknown, or a message of the group is on the timeline already
      // (a redelivery after a crash, a publisher's retry). A merged update is all or nothing, so its
      // records are then written one by one and the new ones still land. A creation that found the
      // document there (a redelivery) stored none of the records merged into it.
      const missed = g.create ? r.upsertedCount === 0 : r.matchedCount === 0 && g.ops.length > 1;
      if (missed && g.merged !== undefined) await this.recordMissing(g.merged);
    } catch (err) {
      if (isTransient(err) || g.ops.length === 1) {
        for (const op of g.ops) errors.set(op, err);
        return;
      }
      // One refused record (a value the store rejects) must not fail the others merged with it.
      for (const op of g.ops) errors.set(op, await this.writeOne(op));
    }
  }

  /** The merged update did not apply: each record whose message is not on the timeline, alone. */
  private async recordMissing(m: Merged): Promise<void> {
    const doc = await retryTransient(
      'interaction find',
      () => this.col.findOne({ _id: m.contactId }, { projection: { messageIds: 1 } }),
      this.retry,
    );
    if (doc === null) return;
    const have = new Set(doc.messageIds ?? []);
    for (const r of m.records)
      if (r.entry.messageId === undefined || !have.has(r.entry.messageId))
        await this.updateOne(recordUpdate(r));
  }

  /** Writes one operation alone; answers its error rather than throwing it. */
  private async writeOne(op: Op): Promise<unknown> {
    try {
      await this.updateOne(op.kind === 'create' ? createUpdate(op) : recordUpdate(op));
      return undefined;
    } catch (err) {
      return err;
    }
  }

  private updateOne({ filter, update, upsert }: Update): Promise<UpdateResult> {
    this.counts.writes += 1;
    return retryTransient(
      'interaction write',
      () => this.col.updateOne(filter, update, { upsert: upsert ?? false }),
      this.retry,
    );
  }
}

interface Group {
  update: Update;
  /** The operations the update carries (a creation and/or a contact's consecutive records). */
  ops: Op[];
  /** The records among them, merged. */
  merged?: Merged | undefined;
  /** Whether the update creates the document (an upsert). */
  create: boolean;
}

/**
 * The batch as updates, per contact in order: consecutive records merged, and the records that follow a
 * creation merged into it (a call's CallDelivered and RouteRequest arrive together: one insert).
 */
function plan(ops: readonly Op[]): Map<string, Group[]> {
  // Per contact: runs of operations, each a creation or a record followed by the records after it.
  const runs = new Map<string, Op[][]>();
  for (const op of ops) {
    const id = op.kind === 'create' ? op.doc._id : op.contactId;
    const list = runs.get(id) ?? [];
    runs.set(id, list);
    const last = list[list.length - 1];
    if (op.kind === 'record' && last !== undefined) last.push(op);
    else list.push([op]);
  }
  const byContact = new Map<string, Group[]>();
  for (const [id, list] of runs)
    byContact.set(
      id,
      list.map((run) => {
        const [first, ...rest] = run;
        const records = (first?.kind === 'create' ? rest : run) as Array<Extract<Op, { kind: 'record' }>>;
        const merged = records.length === 0 ? undefined : merge(id, records);
        if (first?.kind === 'create')
          return { update: createUpdate(first, merged), ops: run, merged, create: true };
        return { update: mergedUpdate(merged as Merged), ops: run, merged, create: false };
      }),
    );
  return byContact;
}

function merge(contactId: string, records: Array<Extract<Op, { kind: 'record' }>>): Merged {
  const m: Merged = { contactId, entries: [], ids: [], set: {}, records };
  for (const { entry, set } of records) {
    const { messageId, ...stored } = entry;
    m.entries.push(stored);
    if (messageId !== undefined) m.ids.push(messageId);
    Object.assign(m.set, set);
  }
  return m;
}

/** One record written alone (the slow paths). */
function recordUpdate(op: Extract<Op, { kind: 'record' }>): Update {
  return mergedUpdate(merge(op.contactId, [op]));
}

function mergedUpdate(m: Merged): Update {
  const filter =
    m.ids.length === 0 ? { _id: m.contactId } : { _id: m.contactId, messageIds: { $nin: m.ids } };
  const push =
    m.ids.length === 0
      ? { timeline: { $each: m.entries } }
      : { timeline: { $each: m.entries }, messageIds: { $each: m.ids } };
  return { filter, update: { $push: push, ...(Object.keys(m.set).length ? { $set: m.set } : {}) } };
}

/**
 * Upsert: a redelivered CallDelivered (after a CTI crash before its ack) must not fail or duplicate. The
 * records merged into it are part of the new document; if it existed already they are written after.
 */
function createUpdate(op: Extract<Op, { kind: 'create' }>, records?: Merged): Update {
  const { messageId, ...stored } = op.first;
  return {
    filter: { _id: op.doc._id },
    update: {
      $setOnInsert: {
        ...op.doc,
        ...records?.set,
        timeline: [stored, ...(records?.entries ?? [])],
        messageIds: [...(messageId === undefined ? [] : [messageId]), ...(records?.ids ?? [])],
      },
    },
    upsert: true,
  };
}
