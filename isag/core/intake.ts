import { randomUUID } from 'node:crypto';
import type { Logger } from '../../lib/log';
import { errorText } from '../../lib/log';
import type { AddressDirectory } from './addresses';
import { customerLookup, pickCustomer } from './customers';
import { QUARANTINE_RAW_BYTES, attachmentsRefusal, nulField, type AttachmentLimits } from './limits';
import { taskCreated, taskUpdated } from './outbox';
import { type SettleStore, settleReceipt } from './receipts';
import type { IsagStore } from './store';
import { type ThreadDecision, decideConversation, decideThread } from './threading';
import type {
  AttachmentRef,
  EarlierReceipt,
  Inbound,
  IntakeResult,
  InteractionDoc,
  MessageDoc,
  OutboxKind,
  QuarantineDoc,
  TaskChannel,
} from './types';

/** What the intake needs of the store (IsagStore; fakes in unit specs). */
export type IntakeStore = Pick<
  IsagStore,
  | 'putAttachment'
  | 'deleteAttachments'
  | 'insertMessage'
  | 'deleteMessage'
  | 'insertInteraction'
  | 'deleteInteraction'
  | 'pushTimeline'
  | 'insertQuarantine'
  | 'parentsOf'
  | 'interactions'
  | 'latestFrom'
  | 'findInbound'
  | 'markCommitted'
  | 'outboxNames'
  | 'removeOrphan'
  | 'customersWith'
>;

/**
 * An uncommitted earlier receipt younger than this may still be in flight (a slow store, a provider
 * retrying early): the sender is told to try again rather than have that receipt's writes removed.
 */
export const ORPHAN_AFTER_MS = 30_000;

export interface IntakeDeps {
  store: IntakeStore;
  /** The address book of the moment (refreshed on queue changes). */
  directory: () => AddressDirectory;
  outbox: { add(kind: OutboxKind, message: Record<string, unknown>): Promise<void> };
  limits: AttachmentLimits;
  instanceId: string;
  log: Logger;
  now?: () => Date;
}

/** A store write failed: the sender is told to try again later (SMTP 451, HTTP 503). */
export class IntakeUnavailable extends Error {
  constructor(cause: unknown) {
    super(`the message could not be stored: ${errorText(cause)}`, { cause });
    this.name = 'IntakeUnavailable';
  }
}

/**
 * The receipt of an inbound message from any channel, up to the point where its sender may be told it
 * is ours: the message is either quarantined with its reason, or stored with its attachments, its new
 * interaction (a new task) and its outbox record, in that order. The outbox record is the commit point:
 * the task is announced only once everything it names is stored. Every store failure is an
 * IntakeUnavailable, so the adapter answers "try again" and never "received".
 */
export class Intake {
  constructor(private readonly deps: IntakeDeps) {}

  async receive(m: Inbound): Promise<IntakeResult> {
    try {
      return await this.receiveOrFail(m);
    } catch (err) {
      if (err instanceof IntakeUnavailable) throw err;
      throw new IntakeUnavailable(err);
    }
  }

  /** Stores a message that cannot become a task, with the reason; answers the entry's id. */
  async quarantine(
    entry: Omit<QuarantineDoc, '_id' | 'receivedAt' | 'raw'> & { raw?: Buffer },
  ): Promise<IntakeResult> {
    const doc: QuarantineDoc = {
      ...entry,
      _id: randomUUID(),
      receivedAt: this.now(),
      ...(entry.raw === undefined ? {} : { raw: entry.raw.subarray(0, QUARANTINE_RAW_BYTES) }),
    };
    try {
      await this.deps.store.insertQuarantine(doc);
    } catch (err) {
      throw new IntakeUnavailable(err);
    }
    this.deps.log.warn('message quarantined', {
      channel: doc.channel,
      reason: doc.reason,
      quarantineId: doc._id,
      size: doc.size,
    });
    return { kind: 'quarantined', quarantineId: doc._id, reason: doc.reason };
  }

  private async receiveOrFail(m: Inbound): Promise<IntakeResult> {
    const refusal = this.refusal(m);
    const quarantineOf = (reason: string) =>
      this.quarantine({
        channel: m.channel,
        reason,
        from: m.from,
        to: m.to,
        size: m.size,
        ...(m.raw === undefined ? {} : { raw: m.raw }),
      });
    if (refusal !== undefined) return quarantineOf(refusal);

    if (m.messageId !== undefined) {
      const earlier = await this.deps.store.findInbound(m.channel, m.messageId, m.from);
      if (earlier !== undefined) {
        const duplicate = await this.earlierCommitted(earlier);
        if (duplicate)
          return { kind: 'duplicate', interactionId: earlier.interactionId, messageId: earlier.id };
      }
    }

    // A reply joins its open interaction whatever address it was sent to; a new task needs a queue.
    const thread = await this.thread(m);
    const route = this.deps.directory().route(m.channel, m.to);
    if (route === undefined && thread.kind === 'new')
      return quarantineOf(`no queue for ${m.to[0] ?? '(no recipient)'}`);
    const now = this.now();
    const messageDocId = randomUUID();
    const interactionId = thread.kind === 'join' ? thread.interactionId : randomUUID();

    const refs: AttachmentRef[] = [];
    try {
      for (const a of m.attachments)
        refs.push(await this.deps.store.putAttachment(a, { interactionId, messageId: messageDocId }));
      await this.deps.store.insertMessage(messageDoc(m, messageDocId, interactionId, refs, now));
    } catch (err) {
      await this.deps.store.deleteAttachments(refs.map((r) => r.fileId));
      throw err;
    }
    let created = false;
    try {
      if (thread.kind === 'join') {
        await this.deps.store.pushTimeline(interactionId, {
          at: now,
          type: 'MessageReceived',
          data: { messageId: messageDocId },
        });
        await this.deps.outbox.add(
          'TaskUpdated',
          taskUpdated(this.deps.instanceId, { interactionId, messageId: messageDocId }, now),
        );
        await this.markCommitted(messageDocId);
        this.deps.log.info('message joined its interaction', {
          contactId: interactionId,
          messageId: messageDocId,
        });
        return { kind: 'joined', interactionId, messageId: messageDocId };
      }
      if (route === undefined) throw new Error('no route for a new task'); // excluded above
      const customerId = await this.customerOf(m.channel, m.from);
      await this.deps.store.insertInteraction(
        interactionDoc(m, interactionId, route, now, messageDocId, customerId, thread.previous),
      );
      created = true;
      await this.deps.outbox.add(
        'TaskCreated',
        taskCreated(
          this.deps.instanceId,
          {
            interactionId,
            channel: m.channel,
            from: m.from,
            to: route.address,
            ...(m.subject === undefined ? {} : { subject: m.subject.slice(0, 1024) }),
            queueId: route.queueId,
            messageId: messageDocId,
          },
          now,
        ),
      );
      await this.markCommitted(messageDocId);
    } catch (err) {
      // No outbox record: nothing is announced; its sender retries and it is stored anew. What was
      // written is removed (best effort: the store may be the thing that failed).
      if (created) await this.deps.store.deleteInteraction(interactionId).catch(() => undefined);
      await this.deps.store.deleteMessage(messageDocId).catch(() => undefined);
      await this.deps.store.deleteAttachments(refs.map((r) => r.fileId));
      throw err;
    }
    const queueId = route?.queueId ?? '';
    this.deps.log.info('task created', {
      contactId: interactionId,
      channel: m.channel,
      queueId,
      messageId: messageDocId,
      attachments: refs.length,
    });
    return { kind: 'created', interactionId, messageId: messageDocId, queueId };
  }

  /**
   * Whether an earlier receipt of the same message reached its commit point (then this one is a
   * duplicate). One that did not, and is old enough not to be in flight, died between its writes and
   * its outbox record (ISAG killed): its writes are removed and this receipt stores the message anew,
   * else the sender's retry would be answered "duplicate" and the task never announced.
   */
  private async earlierCommitted(earlier: EarlierReceipt): Promise<boolean> {
    const settled = await settleReceipt(this.settleStore, earlier, {
      now: this.now().getTime(),
      orphanAfterMs: ORPHAN_AFTER_MS,
    });
    if (settled === 'in-progress')
      throw new IntakeUnavailable(new Error('an earlier receipt of this message is still in progress'));
    if (settled === 'committed') return true;
    this.deps.log.warn('an earlier receipt died before its commit point: the message is stored anew', {
      messageId: earlier.id,
      contactId: earlier.interactionId,
    });
    return false;
  }

  /** The store for settleReceipt, with the intake's best-effort mark. */
  private readonly settleStore: SettleStore = {
    outboxNames: (id) => this.deps.store.outboxNames(id),
    markCommitted: (id) => this.markCommitted(id),
    removeOrphan: (earlier) => this.deps.store.removeOrphan(earlier),
  };

  /** Best effort: the outbox record is the commit point; the mark only spares later duplicate checks. */
  private async markCommitted(messageDocId: string): Promise<void> {
    await this.deps.store.markCommitted(messageDocId).catch((err: unknown) =>
      this.deps.log.warn('message not marked committed', {
        messageId: messageDocId,
        error: errorText(err),
      }),
    );
  }

  /** Why the message cannot be stored as a task (limits, text the store cannot hold), or undefined. */
  private refusal(m: Inbound): string | undefined {
    const tooBig = attachmentsRefusal(m.attachments, this.deps.limits);
    if (tooBig !== undefined) return tooBig;
    const nul = nulField({
      from: m.from,
      to: m.to.join(','),
      cc: m.cc?.join(','),
      subject: m.subject,
      text: m.text,
      html: m.html,
      messageId: m.messageId,
      inReplyTo: m.inReplyTo,
      references: m.references?.join(' '),
      attachment: m.attachments.map((a) => `${a.name}${a.contentType}`).join(''),
    });
    if (nul !== undefined) return `NUL characters in ${nul}`;
    if (m.from.trim() === '') return 'no sender';
    if (m.from.length > 254) return 'sender address longer than 254 characters';
    return undefined;
  }

  private async thread(m: Inbound): Promise<ThreadDecision> {
    switch (m.threading.kind) {
      case 'references': {
        const ids = m.threading.ids;
        if (ids.length === 0) return { kind: 'new' };
        const parents = await this.deps.store.parentsOf(m.channel, ids);
        const interactions = await this.deps.store.interactions([...parents.values()]);
        return decideThread(ids, parents, interactions, m);
      }
      case 'sender':
        return decideConversation(await this.deps.store.latestFrom(m.channel, m.from));
      case 'none':
        return { kind: 'new' };
    }
  }

  /** The customer with the sender's address, when exactly one has it; a failed lookup links none. */
  private async customerOf(channel: TaskChannel, from: string): Promise<string | undefined> {
    const lookup = customerLookup(channel, from);
    if (lookup === undefined) return undefined;
    return pickCustomer(await this.deps.store.customersWith(lookup.field, lookup.value));
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }
}

function messageDoc(
  m: Inbound,
  id: string,
  interactionId: string,
  attachments: AttachmentRef[],
  now: Date,
): MessageDoc {
  return {
    _id: id,
    interactionId,
    channel: m.channel,
    direction: 'inbound',
    from: m.from,
    to: m.to,
    ...(m.cc === undefined || m.cc.length === 0 ? {} : { cc: m.cc }),
    ...(m.subject === undefined ? {} : { subject: m.subject }),
    ...(m.text === undefined ? {} : { text: m.text }),
    ...(m.html === undefined ? {} : { html: m.html }),
    ...(m.messageId === undefined ? {} : { messageId: m.messageId }),
    ...(m.inReplyTo === undefined ? {} : { inReplyTo: m.inReplyTo }),
    ...(m.references === undefined || m.references.length === 0 ? {} : { references: m.references }),
    attachments,
    ...(m.pages === undefined ? {} : { pages: m.pages }),
    status: 'received',
    // Set once the outbox record is written; until then an orphan sweep may remove the receipt.
    committed: false,
    via: m.via,
    ...(m.provider === undefined ? {} : { provider: m.provider }),
    createdAt: now,
  };
}

function interactionDoc(
  m: Inbound,
  id: string,
  route: { address: string; queueId: string },
  now: Date,
  messageId: string,
  customerId: string | undefined,
  previous: string | undefined,
): InteractionDoc {
  return {
    _id: id,
    channel: m.channel,
    direction: 'inbound',
    from: m.from.slice(0, 254),
    to: route.address.slice(0, 254),
    queueId: route.queueId,
    state: 'received',
    createdAt: now,
    ...(m.subject === undefined ? {} : { subject: m.subject.slice(0, 1024) }),
    ...(customerId === undefined ? {} : { customerId }),
    ...(previous === undefined ? {} : { previous }),
    timeline: [{ at: now, type: 'Received', data: { messageId, channel: m.channel } }],
  };
}
