import { expect } from '../../support/chai';
import type { ThreadMessage } from '../../../agent-ui/src/adapters/messages-api';
import {
  MAX_FILE_BYTES,
  fileProblem,
  formatBytes,
  lastInbound,
  quoteText,
  replySubject,
  replyText,
  smsCount,
} from '../../../agent-ui/src/app/tasks-compose';

function msg(id: string, direction: 'inbound' | 'outbound', text: string): ThreadMessage {
  return {
    id,
    channel: 'email',
    direction,
    from: direction === 'inbound' ? 'ann@customer.test' : 'support@ipcc.local',
    to: [],
    cc: [],
    text,
    attachments: [],
    status: direction === 'inbound' ? 'received' : 'sent',
    createdAt: 0,
  };
}

describe('agent-ui inbox reply composer (agent-ui/src/app/tasks-compose)', () => {
  it("quotes the customer's last message, line by line, under an attribution", () => {
    const thread = [
      msg('1', 'inbound', 'first'),
      msg('2', 'inbound', 'Hello\r\n\r\nMy invoice\n'),
      msg('3', 'outbound', 'ours'),
    ];
    const last = lastInbound(thread);
    expect(last?.id).to.equal('2');
    expect(quoteText('On Monday, Ann wrote:', last?.text ?? '')).to.equal(
      'On Monday, Ann wrote:\n> Hello\n>\n> My invoice',
    );
    expect(lastInbound([msg('3', 'outbound', 'x')])).to.equal(undefined);
  });

  it('puts the quote after the reply, or sends the reply alone', () => {
    expect(replyText('Thanks!  \n', '> q')).to.equal('Thanks!\n\n> q');
    expect(replyText('Thanks!', undefined)).to.equal('Thanks!');
    expect(replyText('Thanks!', '')).to.equal('Thanks!');
  });

  it('answers Re: once', () => {
    expect(replySubject('Invoice')).to.equal('Re: Invoice');
    expect(replySubject('RE: Invoice')).to.equal('RE: Invoice');
    expect(replySubject(undefined)).to.equal('Re:');
  });

  it('counts SMS characters as the AS does (code points) against 1,600', () => {
    expect(smsCount('hello')).to.deep.equal({ length: 5, left: 1595, over: false });
    expect(smsCount('😀😀')).to.deep.equal({ length: 2, left: 1598, over: false });
    expect(smsCount('x'.repeat(1600))).to.deep.equal({ length: 1600, left: 0, over: false });
    expect(smsCount('x'.repeat(1601))).to.deep.equal({ length: 1601, left: -1, over: true });
  });

  it('names the first attachment limit broken: 10 MB a file, 25 MB together', () => {
    expect(fileProblem([{ name: 'a.pdf', size: MAX_FILE_BYTES }])).to.equal(undefined);
    expect(fileProblem([{ name: 'big.iso', size: MAX_FILE_BYTES + 1 }])).to.deep.equal({
      code: 'file-too-large',
      name: 'big.iso',
    });
    const nine = { name: 'n', size: 9 * 1024 * 1024 };
    expect(fileProblem([nine, nine])).to.equal(undefined);
    expect(fileProblem([nine, nine, nine])).to.deep.equal({ code: 'message-too-large' });
  });

  it('formats sizes', () => {
    expect([formatBytes(820), formatBytes(12_500), formatBytes(3_100_000)]).to.deep.equal([
      '820 B',
      '12.5 kB',
      '3.1 MB',
    ]);
  });
});
