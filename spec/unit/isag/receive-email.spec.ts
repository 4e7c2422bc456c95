/* eslint-disable @typescript-eslint/require-await -- stand-ins keep the async interface of what they replace */
import winston from 'winston';
import { expect } from '../../support/chai';
import type { Intake } from '../../../isag/core/intake';
import type { Inbound, IntakeResult } from '../../../isag/core/types';
import { receiveEmail } from '../../../isag/email/receive';

const log = winston.createLogger({ silent: true });

/** The intake and store as records of what they were asked. */
function deps(outbound: Map<string, { id: string; interactionId: string }> = new Map()) {
  const received: Inbound[] = [];
  const quarantined: Array<{ reason: string; from?: string; size: number }> = [];
  const failed: Array<[string, string]> = [];
  const timeline: Array<[string, string]> = [];
  const intake = {
    async receive(m: Inbound): Promise<IntakeResult> {
      received.push(m);
      return { kind: 'created', interactionId: 'i-1', messageId: 'm-1', queueId: 'email' };
    },
    async quarantine(e: { reason: string; from?: string; size: number }): Promise<IntakeResult> {
      quarantined.push(e);
      return { kind: 'quarantined', quarantineId: 'q-1', reason: e.reason };
    },
  } as unknown as Intake;
  const store = {
    async findOutbound(id: string) {
      return outbound.get(id);
    },
    async markFailed(id: string, reason: string) {
      failed.push([id, reason]);
    },
    async pushTimeline(interactionId: string, entry: { type: string }) {
      timeline.push([interactionId, entry.type]);
    },
  };
  return { received, quarantined, failed, timeline, deps: { intake, store, log } };
}

const envelope = { mailFrom: 'ann@customer.test', rcptTo: ['support@ipcc.local'] };
const crlf = (lines: string[]) => Buffer.from(lines.join('\r\n'), 'utf8');

const dsn = (action: string, returnedId: string) =>
  crlf([
    'From: MAILER-DAEMON@mx.test',
    'To: support@ipcc.local',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
    '',
    '--B',
    'Content-Type: text/plain',
    '',
    'report',
    '--B',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.test',
    '',
    'Final-Recipient: rfc822; gone@customer.test',
    `Action: ${action}`,
    'Status: 5.1.1',
    'Diagnostic-Code: smtp; 550 no such user',
    '',
    '--B',
    'Content-Type: text/rfc822-headers',
    '',
    `Message-ID: <${returnedId}>`,
    '',
    '--B--',
    '',
  ]);

describe('isag e-mail receipt: from raw bytes to the intake, the quarantine or a bounce', () => {
  it('hands a parsed mail to the intake: sender, envelope recipients, thread ids, attachment bytes', async () => {
    const t = deps();
    const raw = crlf([
      'From: Ann <ANN@Customer.test>',
      'To: support@ipcc.local',
      'Cc: bob@customer.test',
      'Subject: =?UTF-8?Q?caf=C3=A9?=',
      'Message-ID: <m2@customer.test>',
      'In-Reply-To: <m1@customer.test>',
      'References: <m0@customer.test> <m1@customer.test>',
      'Content-Type: multipart/mixed; boundary="X"',
      '',
      '--X',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'hello',
      '--X',
      'Content-Type: application/zip; name="a.zip"',
      'Content-Disposition: attachment; filename="a.zip"',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('PK\x03\x04zip').toString('base64'),
      '--X--',
      '',
    ]);
    expect((await receiveEmail(raw, envelope, t.deps)).kind).to.equal('created');
    const m = t.received[0];
    expect(m).to.deep.include({
      channel: 'email',
      via: 'smtp',
      from: 'ann@customer.test',
      to: ['support@ipcc.local'],
      cc: ['bob@customer.test'],
      subject: 'café',
      messageId: 'm2@customer.test',
      inReplyTo: 'm1@customer.test',
      references: ['m0@customer.test', 'm1@customer.test'],
      size: raw.length,
    });
    expect(m?.text?.trim()).to.equal('hello');
    expect(m?.threading).to.deep.equal({ kind: 'references', ids: ['m1@customer.test', 'm0@customer.test'] });
    expect(m?.attachments.map((a) => [a.name, a.contentType, a.content.toString('latin1')])).to.deep.equal([
      ['a.zip', 'application/zip', 'PK\x03\x04zip'],
    ]);
  });

  it('quarantines a mail without a From address, with the envelope sender', async () => {
    const t = deps();
    const r = await receiveEmail(crlf(['Subject: hi', '', 'body']), envelope, t.deps);
    expect(r).to.deep.include({ kind: 'quarantined', reason: 'no From address' });
    expect(t.quarantined[0]).to.deep.include({ from: 'ann@customer.test' });
    expect(t.received).to.deep.equal([]);
  });

  it('sets our bounced message failed and notes it in the timeline: no task', async () => {
    const t = deps(new Map([['out-1@ipcc.local', { id: 'msg-out', interactionId: 'i-9' }]]));
    const r = await receiveEmail(dsn('failed', 'out-1@ipcc.local'), envelope, t.deps);
    const reason = 'delivery failed: to gone@customer.test; status 5.1.1; smtp; 550 no such user';
    expect(r).to.deep.equal({ kind: 'bounce', messageId: 'msg-out', reason });
    expect(t.failed).to.deep.equal([['msg-out', reason]]);
    expect(t.timeline).to.deep.equal([['i-9', 'ReplyFailed']]);
    expect(t.received).to.deep.equal([]);
  });

  it('quarantines a report for a message we did not send, and notes one without a failure', async () => {
    const t = deps();
    expect(await receiveEmail(dsn('failed', 'other@x'), envelope, t.deps)).to.deep.include({
      kind: 'quarantined',
      reason: 'delivery report for a message we did not send (other@x)',
    });
    expect(await receiveEmail(dsn('delayed', 'other@x'), envelope, t.deps)).to.deep.equal({
      kind: 'report-ignored',
      reason: 'no failed recipient',
    });
    expect(t.received).to.deep.equal([]);
  });
});
