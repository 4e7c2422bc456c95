import { InvalidError } from '../../errors';

/**
 * The pure part of an agent's reply: its headers and limits, from the thread it answers. No store and no
 * HTTP here (spec/unit/as/reply-compose.spec.ts).
 */

/** Longest SMS reply, in characters (code points): ten concatenated segments of 160. */
export const SMS_MAX_CHARS = 1600;
/** References kept on a reply: the thread's root and its latest messages, as RFC 5322 advises. */
export const MAX_REFERENCES = 20;
/** Longest subject on a reply (RFC 5322's line limit, less the `Subject: ` name). */
export const SUBJECT_MAX = 900;

/** The thread message a reply answers, as the store holds it. */
export interface ThreadMessage {
  direction: 'inbound' | 'outbound';
  from: string;
  to: string[];
  subject?: string | null;
  messageId?: string | null;
  references?: string[] | null;
  via?: string | null;
  provider?: string | null;
  createdAt: Date;
}

export interface EmailReplyHeaders {
  to: string[];
  subject: string;
  inReplyTo?: string;
  references?: string[];
}

/**
 * A header value must be one line: CR or LF in it would start a header of the sender's choosing (Bcc:,
 * a second body). Other controls are refused too; nodemailer encodes what is left.
 */
export function assertHeaderValue(field: string, value: string): void {
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  const found = /[\u0000-\u001f\u007f]/.exec(value);
  if (found !== null) {
    const code = `U+${(found[0].codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}`;
    const message = `${field} must be one line without control characters (found ${code})`;
    throw new InvalidError(message, [{ path: field, message }]);
  }
}

/** `Re: <subject>`, once: a subject already starting with `Re:` (any case) is kept as it is. */
export function replySubject(subject: string | null | undefined): string {
  const s = (subject ?? '').trim();
  if (s === '') return 'Re:';
  return /^re\s*:/i.test(s) ? s : `Re: ${s}`;
}

/** The newest inbound message of a thread (the one a reply answers), or undefined. */
export function lastInbound<T extends ThreadMessage>(thread: readonly T[]): T | undefined {
  let found: T | undefined;
  for (const m of thread) {
    if (m.direction !== 'inbound') continue;
    if (found === undefined || m.createdAt.getTime() >= found.createdAt.getTime()) found = m;
  }
  return found;
}

/**
 * References of a reply to `parent` (RFC 5322 3.6.4): the parent's references then its Message-ID, no
 * duplicate, the first (the thread's root) kept when the list is cut to `MAX_REFERENCES`.
 */
export function replyReferences(parent: Pick<ThreadMessage, 'messageId' | 'references'>): string[] {
  const out: string[] = [];
  for (const id of [...(parent.references ?? []), parent.messageId ?? '']) {
    if (id !== '' && !out.includes(id)) out.push(id);
  }
  if (out.length <= MAX_REFERENCES) return out;
  return [out[0] as string, ...out.slice(out.length - (MAX_REFERENCES - 1))];
}

/**
 * The headers of an e-mail reply: To the customer (the sender of the last inbound message, else the
 * contact's `from`), `Re:` the subject asked for or the last inbound one, and the threading headers of
 * the last inbound message. Every value is checked for CR/LF: inbound headers are the customer's text.
 */
export function emailReplyHeaders(
  thread: readonly ThreadMessage[],
  contactFrom: string,
  subject: string | undefined,
): EmailReplyHeaders {
  const parent = lastInbound(thread);
  const to = parent?.from ?? contactFrom;
  const headers: EmailReplyHeaders = {
    to: [to],
    subject: subject !== undefined && subject.trim() !== '' ? subject.trim() : replySubject(parent?.subject),
  };
  if (parent?.messageId) {
    headers.inReplyTo = parent.messageId;
    headers.references = replyReferences(parent);
  }
  assertHeaderValue('to', to);
  assertHeaderValue('subject', headers.subject);
  if (headers.subject.length > SUBJECT_MAX) {
    throw new InvalidError(`subject must be at most ${SUBJECT_MAX} characters`, [
      { path: 'subject', message: `at most ${SUBJECT_MAX} characters` },
    ]);
  }
  for (const id of headers.references ?? []) assertHeaderValue('references', id);
  return headers;
}

/** An SMS reply: text only, at most `SMS_MAX_CHARS` characters. */
export function checkSmsText(text: string): void {
  const length = [...text].length;
  if (length === 0)
    throw new InvalidError('an SMS reply needs text', [{ path: 'text', message: 'required' }]);
  if (length > SMS_MAX_CHARS) {
    const message = `an SMS reply is at most ${SMS_MAX_CHARS} characters (this one has ${length})`;
    throw new InvalidError(message, [{ path: 'text', message }]);
  }
}

/** The path a reply goes out on: the one the conversation came in (the last inbound message's). */
export function replyPath(channel: 'email' | 'sms', parent: ThreadMessage | undefined): string {
  if (channel === 'email') return 'smtp';
  return parent?.via === 'sip' ? 'sip' : 'webhook';
}
