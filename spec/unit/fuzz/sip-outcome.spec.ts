import { expect } from '../../support/chai';
import { classifySippRun, inviteResponses } from '../../fuzz/support/sip-outcome';

const SEP = '----------------------------------------------- 2026-12-07 04:28:45.138491';

function received(statusLine: string, cseq: string): string {
  return `${SEP}\nUDP message received [248] bytes :\n\n${statusLine}\nVia: SIP/2.0/UDP 127.0.0.1:5992\nCSeq: ${cseq}\nContent-Length: 0\n\n`;
}
const sentInvite = `${SEP}\nUDP message sent (528 bytes):\n\nINVITE sip:100@127.0.0.1:5060 SIP/2.0\nCSeq: 1 INVITE\n\n`;
// sipp's screen always has this column: it must not make a run count as refused.
const screen = '                                 Messages  Retrans   Timeout   Unexpected-Msg\n';

describe('fuzz sip-outcome: a sipp run classified by the INVITE final response', () => {
  it('reads the INVITE responses only, in order', () => {
    const log =
      sentInvite +
      received('SIP/2.0 100 Trying', '1 INVITE') +
      received('SIP/2.0 200 OK', '1 INVITE') +
      received('SIP/2.0 481 Call/Transaction Does Not Exist', '2 BYE');
    expect(inviteResponses(log)).to.deep.equal([100, 200]);
  });

  it('a clean exit with 200 is completed', () => {
    const log = sentInvite + received('SIP/2.0 200 OK', '1 INVITE');
    expect(classifySippRun(0, log)).to.deep.equal({ kind: 'completed' });
  });

  it('a failed run with a 4xx-6xx final response is refused with that status', () => {
    const log =
      sentInvite +
      received('SIP/2.0 100 Trying', '1 INVITE') +
      received('SIP/2.0 400 Bad Request', '1 INVITE');
    expect(classifySippRun(1, log)).to.deep.equal({ kind: 'refused', status: 400 });
    expect(classifySippRun(1, sentInvite + received('SIP/2.0 603 Decline', '1 INVITE'))).to.deep.equal({
      kind: 'refused',
      status: 603,
    });
  });

  it('a failed run with nothing received is unanswered, never refused', () => {
    expect(classifySippRun(255, sentInvite + sentInvite + screen)).to.deep.equal({ kind: 'unanswered' });
    expect(classifySippRun(255, '')).to.deep.equal({ kind: 'unanswered' });
  });

  it('a failed run after a 200, after provisional responses only, or with an error to another method is a failure', () => {
    expect(classifySippRun(1, sentInvite + received('SIP/2.0 200 OK', '1 INVITE')).kind).to.equal('failed');
    expect(classifySippRun(255, sentInvite + received('SIP/2.0 100 Trying', '1 INVITE')).kind).to.equal(
      'failed',
    );
    const byeError = received('SIP/2.0 200 OK', '1 INVITE') + received('SIP/2.0 481 Gone', '2 BYE');
    expect(classifySippRun(1, byeError).kind).to.equal('failed');
  });

  it('a clean exit without a 200 is a failure', () => {
    expect(classifySippRun(0, sentInvite).kind).to.equal('failed');
  });
});
