import { randomUUID } from 'node:crypto';
import { type Db, GridFSBucket, ObjectId } from 'mongodb';
import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import type { IsagPart } from '../core/part';
import { type ReplySender, type ReplySenders, SendFailure, type SendResult } from '../core/replies';
import type { MessageDoc } from '../core/types';

/**
 * Agents' e-mail replies out through the configured SMTP relay (ISAG_RELAY_HOST:ISAG_RELAY_PORT; the
 * machine's postfix in tests) with nodemailer. The envelope sender is the queue's address, so a bounce
 * comes back to ISAG's SMTP server (postfix relays `ipcc.local` there) and marks the reply failed
 * (outbound-bounce.ts).
 */

export interface RelaySettings {
  host: string;
  port: number;
}

type Transport = Transporter<SMTPPool.SentMessageInfo, SMTPPool.Options>;

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

export function relayTransport(relay: RelaySettings): Transport {
  return nodemailer.createTransport({
    host: relay.host,
    port: relay.port,
    secure: false,
    pool: true,
    maxConnections: 2,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 60_000,
    // STARTTLS when offered. A relay on this machine may offer it with a self-signed certificate
    // (Debian's snakeoil pair): nobody sits between a process and loopback, so it is not verified there.
    tls: { rejectUnauthorized: !LOOPBACK.test(relay.host) },
    // Nothing in a message may make nodemailer read a local file or fetch a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
}

/** The domain our Message-IDs carry: the sending address's, when it is a plain domain. */
export function messageIdDomain(from: string): string {
  const domain = from.slice(from.lastIndexOf('@') + 1).replace(/>$/, '');
  const labels = domain.split('.');
  const plain = domain.length <= 253 && labels.every((l) => /^[A-Za-z0-9-]{1,63}$/.test(l));
  return from.includes('@') && plain ? domain : 'ipcc.local';
}

/** A new Message-ID, stored without its angle brackets like every Message-ID in `messages`. */
export function newMessageId(from: string): string {
  return `${randomUUID()}@${messageIdDomain(from)}`;
}

const bracketed = (id: string) => `<${id.replace(/^<+|>+$/g, '')}>`;

/** Defence in depth (the AS refuses these already): no header value of ours may hold a line break. */
export function checkHeaders(m: MessageDoc): void {
  const values = [m.from, ...m.to, ...(m.cc ?? []), m.subject ?? '', m.messageId ?? '', m.inReplyTo ?? ''];
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  const bad = [...values, ...(m.references ?? [])].find((v) => /[\u0000-\u001f\u007f]/.test(v));
  if (bad !== undefined) throw new SendFailure('a header value holds a control character: not sent', true);
  if (m.to.length === 0) throw new SendFailure('no recipient', true);
}

/** The SMTP reply of a failure, and whether it is final (5xx) or worth another attempt. */
export function classify(err: unknown): SendFailure {
  const e = err as { responseCode?: unknown; response?: unknown; code?: unknown; message?: unknown };
  const status = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const text =
    typeof e.response === 'string' && e.response !== ''
      ? e.response
      : typeof e.message === 'string'
        ? e.message
        : String(err);
  const permanent = status !== undefined && status >= 500;
  return new SendFailure(`${status === undefined ? '' : 'relay: '}${text}`, permanent);
}

export function emailSender(transport: Transport, db: Db): ReplySender {
  const bucket = new GridFSBucket(db, { bucketName: 'attachments' });
  return {
    prepare: (m) => (m.messageId ? {} : { messageId: newMessageId(m.from) }),
    async send(m): Promise<SendResult> {
      checkHeaders(m);
      const ids = m.attachments.map((a) =>
        /^[0-9a-f]{24}$/i.test(a.fileId) ? new ObjectId(a.fileId) : null,
      );
      if (ids.some((id) => id === null)) throw new SendFailure('an attachment id is not a stored file', true);
      const found = await bucket.find({ _id: { $in: ids as ObjectId[] } }).toArray();
      if (found.length !== new Set(m.attachments.map((a) => a.fileId)).size) {
        throw new SendFailure('an attachment is missing from the store', true);
      }
      let info: SMTPPool.SentMessageInfo;
      try {
        info = await transport.sendMail({
          from: m.from,
          to: m.to,
          ...(m.cc === undefined ? {} : { cc: m.cc }),
          subject: m.subject ?? '',
          ...(m.text === undefined ? {} : { text: m.text }),
          ...(m.html === undefined ? {} : { html: m.html }),
          ...(m.messageId === undefined ? {} : { messageId: bracketed(m.messageId) }),
          ...(m.inReplyTo === undefined ? {} : { inReplyTo: bracketed(m.inReplyTo) }),
          ...(m.references === undefined ? {} : { references: m.references.map(bracketed) }),
          date: m.createdAt,
          attachments: m.attachments.map((a) => ({
            filename: a.name,
            contentType: a.contentType,
            content: bucket.openDownloadStream(new ObjectId(a.fileId)),
          })),
          // Bounces go to the queue's address, which postfix relays back to ISAG.
          envelope: { from: m.from, to: [...m.to, ...(m.cc ?? [])] },
        });
      } catch (err) {
        throw classify(err);
      }
      const rejected = info.rejected;
      return rejected.length === 0 ? {} : { partial: `refused by the relay: ${rejected.join(', ')}` };
    },
  };
}

/** The e-mail reply part of ISAG (isag/main.ts): registers the `smtp` sender. */
export function emailReplyPart(senders: ReplySenders): IsagPart {
  return {
    name: 'email-replies',
    start(ctx) {
      const transport = relayTransport(ctx.settings.relay);
      senders.register('smtp', emailSender(transport, ctx.db));
      ctx.onStop(() => {
        transport.close();
        return Promise.resolve();
      });
      ctx.log.info('e-mail replies through the relay', ctx.settings.relay);
      return Promise.resolve();
    },
  };
}
