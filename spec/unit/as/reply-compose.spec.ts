import { expect } from '../../support/chai';
import { AppError } from '../../../as/errors';
import {
  assertHeaderValue,
  checkSmsText,
  emailReplyHeaders,
  lastInbound,
  MAX_REFERENCES,
  replyPath,
  replyReferences,
  replySubject,
  SMS_MAX_CHARS,
  type ThreadMessage,
} from '../../../as/plugins/messages/compose';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 10, 0, s));
const inbound = (s: number, extra: Partial<ThreadMessage> = {}): ThreadMessage => ({
  direction: 'inbound',
  from: 'alice@customer.test',
  to: ['support@ipcc.local'],
  subject: 'Invoice 42',
  messageId: `in-${s}@customer.test`,
  createdAt: at(s),
  ...extra,
});
const outbound = (s: number): ThreadMessage => ({
  direction: 'outbound',
  from: 'support@ipcc.local',
  to: ['alice@customer.test'],
  subject: 'Re: Invoice 42',
  messageId: `out-${s}@ipcc.local`,
  createdAt: at(s),
});

function refused(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(AppError);
    return err as AppError;
  }
  throw new Error('not refused');
}

describe('as/plugins/messages/compose: an agent reply’s headers and limits', () => {
  it('prefixes Re: once, whatever its case', () => {
    expect(replySubject('Invoice 42')).to.equal('Re: Invoice 42');
    expect(replySubject('RE: Invoice 42')).to.equal('RE: Invoice 42');
    expect(replySubject('re : x')).to.equal('re : x');
    expect(replySubject(undefined)).to.equal('Re:');
    expect(replySubject('  ')).to.equal('Re:');
  });

  it('answers the newest inbound message, not the newest message', () => {
    const thread = [inbound(1), outbound(2), inbound(3, { messageId: 'newest@x' }), outbound(4)];
    expect(lastInbound(thread)?.messageId).to.equal('newest@x');
    expect(lastInbound([outbound(1)])).to.equal(undefined);
  });

  it('threads on the last inbound message: In-Reply-To its id, References its references then its id', () => {
    const parent = inbound(5, { references: ['root@x', 'mid@x'], messageId: 'parent@x' });
    const h = emailReplyHeaders([inbound(1), outbound(2), parent], 'fallback@customer.test', undefined);
    expect(h).to.deep.equal({
      to: ['alice@customer.test'],
      subject: 'Re: Invoice 42',
      inReplyTo: 'parent@x',
      references: ['root@x', 'mid@x', 'parent@x'],
    });
  });

  it('writes to the contact’s address and sets no threading headers when there is no inbound message', () => {
    expect(emailReplyHeaders([], 'bob@customer.test', 'Hello')).to.deep.equal({
      to: ['bob@customer.test'],
      subject: 'Hello',
    });
  });

  it('keeps the root and the newest references when there are too many, each once', () => {
    const refs = Array.from({ length: 40 }, (_, i) => `r${i}@x`);
    const out = replyReferences({ references: [...refs, 'r3@x'], messageId: 'p@x' });
    expect(out).to.have.length(MAX_REFERENCES);
    expect(out[0]).to.equal('r0@x');
    expect(out.at(-1)).to.equal('p@x');
    expect(new Set(out).size).to.equal(out.length);
  });

  it('refuses CR or LF in a subject: 400 naming the character', () => {
    const err = refused(() => emailReplyHeaders([inbound(1)], 'x@y', 'Hi\r\nBcc: evil@attacker.test'));
    expect(err.code).to.equal('invalid');
    expect(err.message).to.equal('subject must be one line without control characters (found U+000D)');
  });

  it('refuses a stored customer address or Message-ID that would inject a header', () => {
    const hostile = inbound(1, { from: 'alice@customer.test\nBcc: evil@attacker.test' });
    expect(refused(() => emailReplyHeaders([hostile], 'x@y', undefined)).message).to.match(
      /^to must be one line/,
    );
    const badRef = inbound(1, { references: ['ok@x', 'a@x\r\nX-Evil: 1'] });
    expect(refused(() => emailReplyHeaders([badRef], 'x@y', undefined)).message).to.match(/^references/);
    expect(() => assertHeaderValue('subject', 'tab\there')).to.throw('found U+0009');
  });

  it('takes SMS text up to 1,600 characters (code points), not one more, and not empty', () => {
    expect(() => checkSmsText('é'.repeat(SMS_MAX_CHARS))).not.to.throw();
    expect(() => checkSmsText('😀'.repeat(SMS_MAX_CHARS))).not.to.throw();
    expect(refused(() => checkSmsText('x'.repeat(SMS_MAX_CHARS + 1))).message).to.equal(
      'an SMS reply is at most 1600 characters (this one has 1601)',
    );
    expect(refused(() => checkSmsText('')).code).to.equal('invalid');
  });

  it('answers on the path the conversation came in', () => {
    expect(replyPath('email', undefined)).to.equal('smtp');
    expect(replyPath('sms', inbound(1, { via: 'sip' }))).to.equal('sip');
    expect(replyPath('sms', inbound(1, { via: 'webhook' }))).to.equal('webhook');
    expect(replyPath('sms', undefined)).to.equal('webhook');
  });
});
