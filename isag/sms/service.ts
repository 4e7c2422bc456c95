import { KeyedSerial } from '../../lib/keyed-serial';
import { type Logger, errorText } from '../../lib/log';
import type { IntakeResult, Inbound } from '../core/types';
import { type ConfirmationTexts, decide } from './conversation';
import type { SendSms } from './outbound';
import type { SmsStore } from './store';
import { nameUuid } from './ids';

/** One inbound SMS as an adapter (webhook, SIP) hands it over, checked and parsed. */
export interface InboundSms {
  via: 'webhook' | 'sip';
  provider?: 'neutral' | 'twilio';
  /** The provider's message id (webhook), or the SIP request's Call-ID and CSeq: a repeat is stored once. */
  providerId?: string;
  /** The customer as a reply reaches them: the number, or the SIP URI of a SIP peer. */
  from: string;
  /** The customer for the opt-out list: the number (E.164 as it came), else `from`. */
  customer: string;
  /** Our number it was sent to. */
  to: string;
  text: string;
  raw: Buffer;
}

export type SmsReceipt =
  | { kind: 'task'; result: IntakeResult }
  | { kind: 'opted-out'; confirmed: boolean }
  | { kind: 'opted-in'; confirmed: boolean };

export interface SmsServiceDeps {
  intake: { receive(m: Inbound): Promise<IntakeResult> };
  store: Pick<SmsStore, 'optedOut' | 'optOut' | 'optIn'>;
  send: SendSms;
  texts: ConfirmationTexts;
  log: Logger;
  now?: () => Date;
}

/**
 * What happens to an inbound SMS, whichever way it came: an opt-out keyword is recorded (and confirmed
 * once), START removes it, anything else goes to the core's intake as a message of the customer's
 * conversation (a new task, or the next message of the open one). One customer's messages are handled
 * one at a time, so two quick messages cannot both open a new interaction and a repeat finds the first.
 * Resolves once the outcome is stored: only then may the adapter acknowledge.
 */
export class SmsService {
  private readonly serial = new KeyedSerial();

  constructor(private readonly deps: SmsServiceDeps) {}

  receive(m: InboundSms): Promise<SmsReceipt> {
    return this.serial.run(m.from, () => this.handle(m));
  }

  /** Customers with a message in progress (metrics, tests). */
  get busy(): number {
    return this.serial.size;
  }

  private async handle(m: InboundSms): Promise<SmsReceipt> {
    const optedOut = await this.deps.store.optedOut(m.customer);
    const d = decide({ text: m.text, optedOut });
    switch (d.action) {
      case 'opt-out': {
        const isNew = await this.deps.store.optOut(m.customer, d.keyword.word, this.now());
        this.deps.log.info('sms opt-out', { customer: m.customer, keyword: d.keyword.word, isNew });
        if (isNew) this.confirm(m, this.deps.texts.stop);
        return { kind: 'opted-out', confirmed: isNew };
      }
      case 'opt-in': {
        const removed = await this.deps.store.optIn(m.customer);
        this.deps.log.info('sms opt-in', { customer: m.customer, removed });
        if (removed) this.confirm(m, this.deps.texts.start);
        return { kind: 'opted-in', confirmed: removed };
      }
      case 'route':
        return { kind: 'task', result: await this.deps.intake.receive(inboundOf(m)) };
    }
  }

  /**
   * The confirmation leaves after the keyword is stored and without holding up the sender's
   * acknowledgement; a failure is logged (the opt-out itself is recorded either way).
   */
  private confirm(m: InboundSms, text: string): void {
    const id = nameUuid(`confirm:${m.customer}:${this.now().toISOString()}`);
    this.deps
      .send({
        via: m.via,
        ...(m.provider === undefined ? {} : { provider: m.provider }),
        to: m.from,
        from: m.to,
        text,
        id,
      })
      .then(
        () => this.deps.log.info('sms keyword confirmed', { customer: m.customer, via: m.via }),
        (err: unknown) =>
          this.deps.log.warn('sms keyword confirmation failed', {
            customer: m.customer,
            error: errorText(err),
          }),
      );
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }
}

/** The core's form of the message: threaded by sender (the open conversation), deduplicated by id. */
export function inboundOf(m: InboundSms): Inbound {
  return {
    channel: 'sms',
    via: m.via,
    ...(m.provider === undefined ? {} : { provider: m.provider }),
    from: m.from,
    to: [m.to],
    text: m.text,
    ...(m.providerId === undefined ? {} : { messageId: `${m.provider ?? m.via}:${m.providerId}` }),
    attachments: [],
    threading: { kind: 'sender' },
    size: m.raw.length,
    raw: m.raw,
  };
}
