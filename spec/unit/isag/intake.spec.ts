/* eslint-disable @typescript-eslint/require-await -- stand-ins keep the async interface of what they replace */
import winston from 'winston';
import { expect } from '../../support/chai';
import { AddressDirectory } from '../../../isag/core/addresses';
import { Intake, IntakeUnavailable, type IntakeStore } from '../../../isag/core/intake';
import type { InteractionSummary } from '../../../isag/core/threading';
import type {
  Inbound,
  InteractionDoc,
  MessageDoc,
  OutboxKind,
  QuarantineDoc,
} from '../../../isag/core/types';

const log = winston.createLogger({ silent: true });

/** The store as plain maps, recording the order of writes; `failOn` makes one write fail. */
class MemoryStore implements IntakeStore {
  readonly writes: string[] = [];
  readonly messages = new Map<string, MessageDoc>();
  readonly interactionDocs = new Map<string, InteractionDoc>();
  readonly quarantined: QuarantineDoc[] = [];
  readonly files = new Map<string, Buffer>();
  readonly summaries = new Map<string, InteractionSummary>();
  customers = new Map<string, string[]>();
  failOn: string | undefined;
  private n = 0;

  private write(what: string): void {
    if (this.failOn === what) throw new Error(`${what} failed`);
    this.writes.push(what);
  }
  async putAttachment(a: { name: string; contentType: string; content: Buffer }) {
    this.write('attachment');
    const fileId = `f${++this.n}`;
    this.files.set(fileId, a.content);
    return { fileId, name: a.name, contentType: a.contentType, size: a.content.length };
  }
  async deleteAttachments(ids: readonly string[]) {
    for (const id of ids) this.files.delete(id);
  }
  async insertMessage(doc: MessageDoc) {
    this.write('message');
    this.messages.set(doc._id, doc);
  }
  async deleteMessage(id: string) {
    this.messages.delete(id);
  }
  async insertInteraction(doc: InteractionDoc) {
    this.write('interaction');
    this.interactionDocs.set(doc._id, doc);
  }
  async deleteInteraction(id: string) {
    this.interactionDocs.delete(id);
  }
  async pushTimeline() {
    this.write('timeline');
  }
  async insertQuarantine(doc: QuarantineDoc) {
    this.write('quarantine');
    this.quarantined.push(doc);
  }
  async parentsOf(_channel: string, ids: readonly string[]) {
    const out = new Map<string, string>();
    for (const m of this.messages.values())
      if (m.messageId !== undefined && ids.includes(m.messageId)) out.set(m.messageId, m.interactionId);
    return out;
  }
  async interactions(ids: readonly string[]) {
    return new Map([...this.summaries].filter(([id]) => ids.includes(id)));
  }
  async latestFrom() {
    return undefined;
  }
  async findInbound(_c: string, messageId: string, from: string) {
    for (const m of this.messages.values())
      if (m.messageId === messageId && m.from === from)
        return {
          id: m._id,
          interactionId: m.interactionId,
          committed: m.committed === true,
          createdAt: m.createdAt,
          fileIds: m.attachments.map((a) => a.fileId),
        };
    return undefined;
  }
  /** Message ids the outbox records announce. */
  readonly announced = new Set<string>();
  async markCommitted(id: string) {
    const m = this.messages.get(id);
    if (m) m.committed = true;
  }
  async outboxNames(id: string) {
    return this.announced.has(id);
  }
  async removeOrphan(earlier: { id: string; interactionId: string; fileIds: string[] }) {
    const i = this.interactionDocs.get(earlier.interactionId);
    if (i?.state === 'received' && i.timeline[0]?.data?.messageId === earlier.id)
      this.interactionDocs.delete(earlier.interactionId);
    this.messages.delete(earlier.id);
    for (const f of earlier.fileIds) this.files.delete(f);
  }
  async customersWith(_field: string, value: string) {
    return this.customers.get(value) ?? [];
  }
}

function setup(clock = { now: new Date('2026-12-07T10:00:00Z') }) {
  const store = new MemoryStore();
  const published: Array<{ kind: OutboxKind; message: Record<string, unknown> }> = [];
  const outbox = {
    async add(kind: OutboxKind, message: Record<string, unknown>) {
      if (store.failOn === 'outbox') throw new Error('outbox failed');
      store.writes.push('outbox');
      store.announced.add(String(message.messageId));
      published.push({ kind, message });
    },
  };
  const book = new AddressDirectory([{ name: 'email', channel: 'email', addresses: ['support@ipcc.local'] }]);
  const intake = new Intake({
    store,
    directory: () => book,
    outbox,
    limits: { attachmentMaxBytes: 100, messageAttachmentsMaxBytes: 150 },
    instanceId: 'isag-t',
    log,
    now: () => clock.now,
  });
  return { store, published, intake };
}

const email = (over: Partial<Inbound> = {}): Inbound => ({
  channel: 'email',
  via: 'smtp',
  from: 'ann@customer.test',
  to: ['support@ipcc.local'],
  subject: 'Help',
  text: 'hello',
  messageId: 'm1@customer.test',
  attachments: [{ name: 'a.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF') }],
  threading: { kind: 'references', ids: [] },
  size: 100,
  raw: Buffer.from('raw'),
  ...over,
});

describe('isag intake: stored, then announced, exactly once', () => {
  it('stores attachments, message, interaction, then the outbox record (the commit point)', async () => {
    const { store, published, intake } = setup();
    const r = await intake.receive(email());
    expect(r.kind).to.equal('created');
    expect(store.writes).to.deep.equal(['attachment', 'message', 'interaction', 'outbox']);
    if (r.kind !== 'created') throw new Error('not created');
    const msg = store.messages.get(r.messageId);
    expect(msg?.attachments).to.deep.equal([
      { fileId: 'f1', name: 'a.pdf', contentType: 'application/pdf', size: 4 },
    ]);
    expect(msg?.interactionId).to.equal(r.interactionId);
    const interaction = store.interactionDocs.get(r.interactionId);
    expect(interaction).to.include({
      state: 'received',
      queueId: 'email',
      from: 'ann@customer.test',
      channel: 'email',
    });
    expect(published).to.have.length(1);
    expect(published[0]?.kind).to.equal('TaskCreated');
    expect(published[0]?.message).to.include({
      type: 'TaskCreated',
      contactId: r.interactionId,
      channel: 'email',
      from: 'ann@customer.test',
      to: 'support@ipcc.local',
      subject: 'Help',
      queueId: 'email',
      messageId: r.messageId,
    });
  });

  it('links the one customer with the sender address, and none when two have it', async () => {
    const a = setup();
    a.store.customers.set('ann@customer.test', ['c1']);
    const r1 = await a.intake.receive(email());
    expect(r1.kind === 'created' && a.store.interactionDocs.get(r1.interactionId)?.customerId).to.equal('c1');
    const b = setup();
    b.store.customers.set('ann@customer.test', ['c1', 'c2']);
    const r2 = await b.intake.receive(email());
    expect(
      r2.kind === 'created' && 'customerId' in (b.store.interactionDocs.get(r2.interactionId) ?? {}),
    ).to.equal(false);
  });

  it('a threaded reply joins the open interaction: TaskUpdated, no new interaction', async () => {
    const { store, published, intake } = setup();
    const first = await intake.receive(email());
    if (first.kind !== 'created') throw new Error('not created');
    store.summaries.set(first.interactionId, {
      id: first.interactionId,
      channel: 'email',
      from: 'ann@customer.test',
      state: 'accepted',
    });
    const reply = await intake.receive(
      email({ messageId: 'm2@customer.test', threading: { kind: 'references', ids: ['m1@customer.test'] } }),
    );
    expect(reply).to.deep.include({ kind: 'joined', interactionId: first.interactionId });
    expect(store.interactionDocs.size).to.equal(1);
    expect(published.map((p) => p.kind)).to.deep.equal(['TaskCreated', 'TaskUpdated']);
    expect(published[1]?.message).to.include({ type: 'TaskUpdated', contactId: first.interactionId });
  });

  it('a reply joins its open interaction even when sent to an address without a queue', async () => {
    const { store, intake } = setup();
    const first = await intake.receive(email());
    if (first.kind !== 'created') throw new Error('not created');
    store.summaries.set(first.interactionId, {
      id: first.interactionId,
      channel: 'email',
      from: 'ann@customer.test',
      state: 'waiting',
    });
    const reply = await intake.receive(
      email({
        to: ['noreply@ipcc.local'],
        messageId: 'm2@customer.test',
        threading: { kind: 'references', ids: ['m1@customer.test'] },
      }),
    );
    expect(reply).to.deep.include({ kind: 'joined', interactionId: first.interactionId });
  });

  it('a reply to a completed interaction opens a new task naming it as previous', async () => {
    const { store, intake } = setup();
    const first = await intake.receive(email());
    if (first.kind !== 'created') throw new Error('not created');
    store.summaries.set(first.interactionId, {
      id: first.interactionId,
      channel: 'email',
      from: 'ann@customer.test',
      state: 'completed',
      endedAt: new Date(),
    });
    const again = await intake.receive(
      email({ messageId: 'm3@customer.test', threading: { kind: 'references', ids: ['m1@customer.test'] } }),
    );
    if (again.kind !== 'created') throw new Error(`not created: ${again.kind}`);
    expect(again.interactionId).to.not.equal(first.interactionId);
    expect(store.interactionDocs.get(again.interactionId)?.previous).to.equal(first.interactionId);
  });

  it('a second delivery of the same message (same Message-ID and sender) is stored once', async () => {
    const { store, published, intake } = setup();
    const first = await intake.receive(email());
    const second = await intake.receive(email());
    expect(second.kind).to.equal('duplicate');
    expect(first.kind === 'created' && second.kind === 'duplicate' && second.messageId).to.equal(
      first.kind === 'created' ? first.messageId : '',
    );
    expect(store.messages.size).to.equal(1);
    expect(published).to.have.length(1);
  });

  it('a receipt that died before its outbox record: the retry stores the message anew, announced once', async () => {
    const clock = { now: new Date('2026-12-07T10:00:00Z') };
    const { store, published, intake } = setup(clock);
    const first = await intake.receive(email());
    if (first.kind !== 'created') throw new Error(`not created: ${first.kind}`);
    // What a kill -9 between the writes and the outbox record leaves: no announcement, no mark.
    published.length = 0;
    store.announced.clear();
    const orphan = store.messages.get(first.messageId) as MessageDoc;
    delete orphan.committed;
    clock.now = new Date(clock.now.getTime() + 60_000); // the sender retries a minute later
    const retry = await intake.receive(email());
    if (retry.kind !== 'created') throw new Error(`not created: ${retry.kind}`);
    expect(retry.messageId).to.not.equal(first.messageId);
    expect([...store.messages.keys()]).to.deep.equal([retry.messageId]);
    expect([...store.interactionDocs.keys()]).to.deep.equal([retry.interactionId]);
    expect(store.files.size).to.equal(1);
    expect(published.map((p) => p.kind)).to.deep.equal(['TaskCreated']);
    expect(store.messages.get(retry.messageId)?.committed).to.equal(true);
  });

  it('an uncommitted earlier receipt younger than 30 s is in flight: try again, nothing removed', async () => {
    const { store, published, intake } = setup();
    const first = await intake.receive(email());
    if (first.kind !== 'created') throw new Error(`not created: ${first.kind}`);
    store.announced.clear();
    delete (store.messages.get(first.messageId) as MessageDoc).committed;
    const err = await intake.receive(email()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(IntakeUnavailable);
    expect(store.messages.size).to.equal(1);
    expect(published).to.have.length(1);
  });

  it('an earlier receipt whose outbox record exists but was not marked is a duplicate, marked now', async () => {
    const { store, published, intake } = setup();
    const first = await intake.receive(email());
    if (first.kind !== 'created') throw new Error(`not created: ${first.kind}`);
    delete (store.messages.get(first.messageId) as MessageDoc).committed;
    const second = await intake.receive(email());
    expect(second).to.deep.equal({
      kind: 'duplicate',
      interactionId: first.interactionId,
      messageId: first.messageId,
    });
    expect(store.messages.get(first.messageId)?.committed).to.equal(true);
    expect(published).to.have.length(1);
  });

  it('quarantines with the reason: no queue, oversize attachment, NUL', async () => {
    const { store, published, intake } = setup();
    expect(await intake.receive(email({ to: ['nobody@ipcc.local'] }))).to.deep.include({
      kind: 'quarantined',
      reason: 'no queue for nobody@ipcc.local',
    });
    const big = await intake.receive(
      email({
        attachments: [{ name: 'bomb.zip', contentType: 'application/zip', content: Buffer.alloc(101) }],
      }),
    );
    expect(big).to.deep.include({ reason: 'attachment "bomb.zip" is 101 bytes, over the limit of 100' });
    expect(await intake.receive(email({ text: 'a\u0000' }))).to.deep.include({
      reason: 'NUL characters in text',
    });
    expect(store.quarantined.map((q) => [q.channel, q.size, q.raw?.toString()])).to.deep.equal([
      ['email', 100, 'raw'],
      ['email', 100, 'raw'],
      ['email', 100, 'raw'],
    ]);
    expect(store.messages.size).to.equal(0);
    expect(published).to.have.length(0);
  });

  it('a failed write is IntakeUnavailable and leaves no message and no file behind', async () => {
    for (const step of ['attachment', 'message', 'interaction', 'outbox']) {
      const { store, published, intake } = setup();
      store.failOn = step;
      let thrown: unknown;
      try {
        await intake.receive(email());
      } catch (err) {
        thrown = err;
      }
      expect(thrown, step).to.be.instanceOf(IntakeUnavailable);
      const left = [store.messages.size, store.interactionDocs.size, store.files.size, published.length];
      expect([step, ...left]).to.deep.equal([step, 0, 0, 0, 0]);
    }
  });
});
