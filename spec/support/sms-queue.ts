import type { Db } from 'mongodb';
import type { InteractionDoc, MessageDoc } from '../../isag/core/types';
import { neutralSms } from '../fuzz/support/isag-sms';
import { AsApi } from './as-api';
import { demoPassword } from './browser';
import { eventually } from './bus-observer';

/** A number no other run uses: +1555 and seven digits. */
export const testNumber = (seed: number) =>
  `+1555${String((Date.now() + seed) % 10_000_000).padStart(7, '0')}`;

/**
 * An SMS queue of a spec's own, made through the AS: its own number and a skill no agent has, so its
 * tasks are stored and announced but never offered to anyone. `remove` takes away the queue and
 * everything stored to its number or from the spec's customers.
 */
export class SmsTestQueue {
  readonly number: string;
  readonly name: string;
  private admin: AsApi | undefined;

  constructor(readonly tag: string) {
    this.number = testNumber(0);
    this.name = `isag-sms-${tag}`;
  }

  async create(): Promise<void> {
    this.admin = await AsApi.signIn('admin', await demoPassword());
    await this.admin.ok('POST', '/api/v1/queues', {
      name: this.name,
      channel: 'sms',
      addresses: [this.number],
      skills: [{ name: `nobody-${this.tag}`, minLevel: 10 }],
      queueTimeoutSec: 0,
      serviceLevelSec: 14_400,
    });
    // ISAG reads the new number on the AS's ConfigChanged: until then a message to it is quarantined.
    const probe = testNumber(99);
    await eventually(
      'ISAG to route the new SMS number',
      async () => {
        const res = await neutralSms({ from: probe, to: this.number, text: 'probe' });
        const body = JSON.parse(res.body) as { status?: string };
        return body.status === 'created' || body.status === 'joined';
      },
      15_000,
    );
  }

  async remove(db: Db | undefined, customers: readonly string[]): Promise<void> {
    if (db !== undefined) {
      const messages = db.collection<MessageDoc>('messages');
      const mine = { $or: [{ from: { $in: [...customers] } }, { to: this.number }] };
      const ids = [...new Set((await messages.find(mine).toArray()).map((m) => m.interactionId))];
      await messages.deleteMany({ $or: [mine, { interactionId: { $in: ids } }] });
      await db.collection<InteractionDoc>('interactions').deleteMany({ _id: { $in: ids } });
      await db.collection('isagOutbox').deleteMany({ 'message.contactId': { $in: ids } });
    }
    await this.admin?.request('DELETE', `/api/v1/queues/${this.name}`);
  }
}
