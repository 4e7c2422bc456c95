import { expect } from '../../support/chai';
import { createLogger } from '../../../lib/log';
import { makeMessage } from '../../../lib/messages';
import {
  CommandOutbox,
  type Command,
  type CommandRecord,
  type CommandStore,
} from '../../../as/outbox/commands';

/** The command store as plain data. */
class MemoryStore implements CommandStore {
  readonly rows = new Map<string, CommandRecord & { sentAt?: Date }>();
  insert(command: Command, at: Date): Promise<void> {
    this.rows.set(command.message.id, { ...command, createdAt: at });
    return Promise.resolve();
  }
  markSent(ids: readonly string[], at: Date): Promise<void> {
    for (const id of ids) {
      const row = this.rows.get(id);
      if (row) row.sentAt = at;
    }
    return Promise.resolve();
  }
  pending(before: Date, limit: number): Promise<CommandRecord[]> {
    return Promise.resolve(
      [...this.rows.values()]
        .filter((r) => r.sentAt === undefined && r.createdAt < before)
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
        .slice(0, limit),
    );
  }
  prune(before: Date): Promise<number> {
    let n = 0;
    for (const [id, r] of this.rows)
      if (r.sentAt !== undefined && r.sentAt < before && this.rows.delete(id)) n++;
    return Promise.resolve(n);
  }
  get unsent(): string[] {
    return [...this.rows.values()].filter((r) => r.sentAt === undefined).map((r) => r.message.contactId);
  }
}

const log = createLogger('test', 'commands');
log.silent = true;
const source = { service: 'as' as const, instance: 'test' };
const reply = (contactId: string): Command => ({
  exchange: 'cc.commands',
  routingKey: 'isag.reply',
  message: makeMessage<'SendReply'>(source, { type: 'SendReply', contactId, messageId: `m-${contactId}` }),
});

describe('as/outbox/commands: a command is recorded before its data and published after it', () => {
  let clock: number;
  const now = () => new Date(clock);
  beforeEach(() => {
    clock = 1_000_000;
  });

  it('records, writes, publishes and marks sent, in that order', async () => {
    const store = new MemoryStore();
    const order: string[] = [];
    const outbox = new CommandOutbox(
      store,
      log,
      (c) => {
        order.push(`publish ${c.message.contactId} (pending: ${store.unsent.join(',')})`);
        return Promise.resolve();
      },
      source,
      { now },
    );
    const answer = await outbox.send(reply('c1'), () => {
      order.push(`write (pending: ${store.unsent.join(',')})`);
      return Promise.resolve(42);
    });
    expect(answer).to.equal(42);
    expect(order).to.deep.equal(['write (pending: c1)', 'publish c1 (pending: c1)']);
    expect(store.unsent).to.deep.equal([]);
  });

  it('does not publish when the write failed, and the sweep sends it after the grace', async () => {
    const store = new MemoryStore();
    const published: string[] = [];
    const outbox = new CommandOutbox(
      store,
      log,
      (c) => {
        published.push(c.message.contactId);
        return Promise.resolve();
      },
      source,
      { now, graceMs: 5_000 },
    );
    const failed = await outbox
      .send(reply('c2'), () => Promise.reject(new Error('store down')))
      .then(
        () => 'resolved',
        (err: Error) => err.message,
      );
    expect(failed).to.equal('store down');
    expect(published).to.deep.equal([]);
    expect(await outbox.sweep()).to.equal(0); // still within its grace: its write may be under way
    clock += 5_001;
    expect(await outbox.sweep()).to.equal(1);
    expect(published).to.deep.equal(['c2']);
    expect(store.unsent).to.deep.equal([]);
  });

  it('keeps a command whose publish failed for the sweep, which sends it with the same message id', async () => {
    const store = new MemoryStore();
    const ids: string[] = [];
    let brokerUp = false;
    const outbox = new CommandOutbox(
      store,
      log,
      (c) => {
        if (!brokerUp) return Promise.reject(new Error('no broker'));
        ids.push(c.message.id);
        return Promise.resolve();
      },
      source,
      { now, graceMs: 1_000 },
    );
    const command = reply('c3');
    await outbox.send(command, () => Promise.resolve());
    expect(store.unsent).to.deep.equal(['c3']);
    brokerUp = true;
    clock += 1_001;
    expect(await outbox.sweep()).to.equal(1);
    expect(ids).to.deep.equal([command.message.id]);
  });

  it('answers a request when the broker is slow and leaves the command to the sweep', async () => {
    const store = new MemoryStore();
    const outbox = new CommandOutbox(store, log, () => new Promise<void>(() => undefined), source, {
      now,
      publishWaitMs: 20,
    });
    const started = Date.now();
    await outbox.send(reply('c4'), () => Promise.resolve());
    expect(Date.now() - started).to.be.below(1_000);
    expect(store.unsent).to.deep.equal(['c4']);
  });

  it('records but publishes nothing without a publisher (tests through server.inject)', async () => {
    const store = new MemoryStore();
    const outbox = new CommandOutbox(store, log, undefined, source, { now });
    await outbox.send(reply('c5'), () => Promise.resolve());
    clock += 60_000;
    expect(await outbox.sweep()).to.equal(0);
    expect(store.unsent).to.deep.equal(['c5']);
  });
});
