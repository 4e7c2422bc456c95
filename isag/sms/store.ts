import { type Db, MongoError } from 'mongodb';
import type { MessageDoc } from '../core/types';

/** `smsOptOuts`: one document per number that sent an opt-out keyword (contract of issue 14). */
export interface OptOutDoc {
  /** The customer's number (E.164 as it came), or the SIP URI of a SIP peer whose user is no number. */
  _id: string;
  at: Date;
  keyword: string;
}

/** The last inbound message of a conversation, as far as a reply needs it. */
export interface ReplyRoute {
  from: string;
  to: string[];
  via?: string;
  provider?: string;
}

const DUPLICATE_KEY = 11000;

/**
 * The SMS part's own queries on the store (mongodb driver): the opt-out list, where a conversation
 * came from, and closing a conversation when CTI completes its task. Messages, interactions and the
 * outbox are written by the core (isag/core/intake.ts).
 */
export class SmsStore {
  constructor(private readonly db: Db) {}

  async optedOut(customer: string): Promise<boolean> {
    return (
      (await this.db.collection<OptOutDoc>('smsOptOuts').countDocuments({ _id: customer }, { limit: 1 })) > 0
    );
  }

  /** Records the opt-out; true when it is new (false: the number had opted out already). */
  async optOut(customer: string, keyword: string, at: Date): Promise<boolean> {
    try {
      await this.db.collection<OptOutDoc>('smsOptOuts').insertOne({ _id: customer, at, keyword });
      return true;
    } catch (err) {
      if (err instanceof MongoError && err.code === DUPLICATE_KEY) return false;
      throw err;
    }
  }

  /** Removes the opt-out; true when there was one. */
  async optIn(customer: string): Promise<boolean> {
    const r = await this.db.collection<OptOutDoc>('smsOptOuts').deleteOne({ _id: customer });
    return r.deletedCount > 0;
  }

  /** The newest inbound message of an interaction: the path and the address a reply goes back to. */
  async replyRoute(interactionId: string): Promise<ReplyRoute | undefined> {
    const found = await this.db
      .collection<MessageDoc>('messages')
      .find(
        { interactionId, direction: 'inbound', channel: 'sms' },
        { projection: { from: 1, to: 1, via: 1, provider: 1 } },
      )
      .sort({ createdAt: -1 })
      .limit(1)
      .toArray();
    const m = found[0];
    if (m === undefined) return undefined;
    return {
      from: m.from,
      to: m.to,
      ...(m.via === undefined ? {} : { via: m.via }),
      ...(m.provider === undefined ? {} : { provider: m.provider }),
    };
  }

  /**
   * Marks an SMS interaction ended when CTI reports its task completed, so the customer's next message
   * opens a new interaction at once (isag/core/threading.ts `isOpen`), whether or not CTI's own write of
   * the interaction's state has landed yet. An interaction already ended keeps its time; CTI's later
   * write of `endedAt`, if any, wins.
   */
  async endConversation(interactionId: string, at: Date): Promise<boolean> {
    const r = await this.db
      .collection<{ _id: string; channel: string; endedAt?: Date }>('interactions')
      .updateOne(
        { _id: interactionId, channel: 'sms', endedAt: { $exists: false } },
        { $set: { endedAt: at } },
      );
    return r.modifiedCount > 0;
  }
}
