import { expect } from '../../support/chai';
import { createLogger } from '../../../lib/log';
import {
  ReplyHandler,
  ReplySenders,
  SendFailure,
  pathOf,
  reasonText,
  type ReplySender,
  type ReplyStore,
} from '../../../isag/core/replies';
import type { MessageDoc } from '../../../isag/core/types';

const log = createLogger('test', 'replies');
log.silent = true;

class MemoryStore implements ReplyStore {
  readonly messages = new Map<string, MessageDoc>();
  readonly timeline: Array<{ type: string; messageId: string; reason?: string }> = [];
  load(id: string) {
    const m = this.messages.get(id);
    return Promise.resolve(m === undefined ? null : { ...m });
  }
  prepare(id: string, fields: Partial<MessageDoc>) {
    const m = this.messages.get(id);
    if (m?.status === 'queued') Object.assign(m, fields);
    return Promise.resolve();
  }
  markSent(message: MessageDoc, at: Date, reason?: string) {
    const m = this.messages.get(message._id) as MessageDoc;
    if (m.status === 'queued') Object.assign(m, { status: 'sent', sentAt: at, statusReason: reason });
    this.timeline.push({ type: 'ReplySent', messageId: message._id });
    return Promise.resolve();
  }
  markFailed(message: MessageDoc, reason: string) {
    Object.assign(this.messages.get(message._id) as MessageDoc, { status: 'failed', statusReason: reason });
    this.timeline.push({ type: 'ReplyFailed', messageId: message._id, reason });
    return Promise.resolve();
  }
}

const queued = (id: string, extra: Partial<MessageDoc> = {}): MessageDoc => ({
  _id: id,
  interactionId: `i-${id}`,
  channel: 'email',
  direction: 'outbound',
  from: 'support@ipcc.local',
  to: ['alice@customer.test'],
  subject: 'Re: hello',
  text: 'hi',
  attachments: [],
  status: 'queued',
  via: 'smtp',
  createdAt: new Date(0),
  agentId: 'agent-1',
  ...extra,
});

/** A sender that records what it was given and answers from a script of outcomes. */
function scripted(outcomes: Array<'ok' | Error>): ReplySender & { sent: MessageDoc[] } {
  const sent: MessageDoc[] = [];
  return {
    sent,
    prepare: (m) => (m.messageId ? {} : { messageId: `own-${m._id}@ipcc.local` }),
    send(m) {
      sent.push(m);
      const next = outcomes.shift() ?? 'ok';
      return next === 'ok' ? Promise.resolve({}) : Promise.reject(next);
    },
  };
}

function setUp(outcomes: Array<'ok' | Error> = []) {
  const store = new MemoryStore();
  const senders = new ReplySenders();
  const sender = scripted(outcomes);
  senders.register('smtp', sender);
  const handler = new ReplyHandler(store, senders, log, {
    attempts: 3,
    retryDelayMs: 1,
    sleep: () => Promise.resolve(),
  });
  return { store, sender, handler };
}

describe('isag/core/replies: each queued reply sent once, its outcome recorded', () => {
  it('sends a queued reply with the Message-ID stored before sending, and marks it sent', async () => {
    const { store, sender, handler } = setUp();
    store.messages.set('m1', queued('m1'));
    expect(await handler.handle('m1')).to.equal('sent');
    expect(sender.sent.map((m) => m.messageId)).to.deep.equal(['own-m1@ipcc.local']);
    const stored = store.messages.get('m1') as MessageDoc;
    expect(stored.status).to.equal('sent');
    expect(stored.messageId).to.equal('own-m1@ipcc.local');
    expect(store.timeline).to.deep.equal([{ type: 'ReplySent', messageId: 'm1' }]);
  });

  it('does not send again on redelivery: a sent or failed message is skipped', async () => {
    const { store, sender, handler } = setUp();
    store.messages.set('m2', queued('m2'));
    expect(await handler.handle('m2')).to.equal('sent');
    expect(await handler.handle('m2')).to.equal('skipped');
    store.messages.set('m3', queued('m3', { status: 'failed' }));
    expect(await handler.handle('m3')).to.equal('skipped');
    expect(sender.sent.map((m) => m._id)).to.deep.equal(['m2']);
  });

  it('sends once when the same command is delivered twice at the same time', async () => {
    const { store, sender, handler } = setUp();
    store.messages.set('m4', queued('m4'));
    const outcomes = await Promise.all([handler.handle('m4'), handler.handle('m4')]);
    expect(outcomes.sort()).to.deep.equal(['sent', 'skipped']);
    expect(sender.sent).to.have.length(1);
  });

  it('keeps a resent copy’s Message-ID: the one stored before the first attempt', async () => {
    const { store, sender, handler } = setUp();
    store.messages.set('m5', queued('m5', { messageId: 'first@ipcc.local' }));
    await handler.handle('m5');
    expect(sender.sent[0]?.messageId).to.equal('first@ipcc.local');
  });

  it('retries a transient failure, then sends', async () => {
    const { store, sender, handler } = setUp([new Error('connect ECONNREFUSED 127.0.0.1:25'), 'ok']);
    store.messages.set('m6', queued('m6'));
    expect(await handler.handle('m6')).to.equal('sent');
    expect(sender.sent).to.have.length(2);
  });

  it('marks a permanent failure failed at once, with the reason, on the timeline too', async () => {
    const reason = '550 5.1.1 <nobody@customer.test>: Recipient address rejected';
    const { store, sender, handler } = setUp([new SendFailure(`relay: ${reason}`, true)]);
    store.messages.set('m7', queued('m7'));
    expect(await handler.handle('m7')).to.equal('failed');
    expect(sender.sent).to.have.length(1);
    expect(store.messages.get('m7')?.statusReason).to.equal(`relay: ${reason}`);
    expect(store.timeline).to.deep.equal([
      { type: 'ReplyFailed', messageId: 'm7', reason: `relay: ${reason}` },
    ]);
  });

  it('gives up after the attempts and records the last reason', async () => {
    const down = () => new Error('connect ECONNREFUSED 127.0.0.1:25');
    const { store, sender, handler } = setUp([down(), down(), down()]);
    store.messages.set('m8', queued('m8'));
    expect(await handler.handle('m8')).to.equal('failed');
    expect(sender.sent).to.have.length(3);
    expect(store.messages.get('m8')?.statusReason).to.equal('connect ECONNREFUSED 127.0.0.1:25');
  });

  it('fails a reply whose path has no sender, and ignores an unknown or inbound message', async () => {
    const { store, handler } = setUp();
    store.messages.set('s1', queued('s1', { channel: 'sms', via: 'sip' }));
    expect(await handler.handle('s1')).to.equal('failed');
    expect(store.messages.get('s1')?.statusReason).to.equal('no sender for the sip path');
    expect(await handler.handle('missing')).to.equal('skipped');
    store.messages.set('in', queued('in', { direction: 'inbound', status: 'received' }));
    expect(await handler.handle('in')).to.equal('skipped');
  });

  it('names paths and reasons as they are stored', () => {
    expect(pathOf({ channel: 'sms', via: undefined })).to.equal('webhook');
    expect(pathOf({ channel: 'email', via: undefined })).to.equal('smtp');
    expect(pathOf({ channel: 'sms', via: 'sip' })).to.equal('sip');
    expect(reasonText('a\r\nb')).to.equal('a b');
    expect(reasonText('x'.repeat(600))).to.have.length(500);
    const senders = new ReplySenders();
    senders.register('smtp', scripted([]));
    expect(() => senders.register('smtp', scripted([]))).to.throw(
      'a reply sender for smtp is registered already',
    );
  });
});
