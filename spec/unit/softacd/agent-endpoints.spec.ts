import { arrivalMedia, mediaOf } from '../../../stasis-app/ari/channels';
import { callerText } from '../../../stasis-app/softacd/service';
import { renderAgentEndpoints, sipPassword } from '../../../stasis-app/provisioning/agent-endpoints';
import { expect } from '../../support/chai';

describe('agent endpoints for PJSIP', () => {
  it('derives a distinct password per endpoint and per secret', () => {
    expect(sipPassword('s1', 'agent1001')).to.have.length(24);
    expect(sipPassword('s1', 'agent1001')).to.not.equal(sipPassword('s1', 'agent1002'));
    expect(sipPassword('s1', 'agent1001')).to.not.equal(sipPassword('s2', 'agent1001'));
  });

  it('renders endpoint, auth and aor from the templates for each phone', () => {
    const text = renderAgentEndpoints(
      [{ login: '1001', sip: 'PJSIP/agent1001', webrtc: 'PJSIP/web1001' }],
      'secret',
    );
    expect(text).to.include('[agent1001](agent-phone)').and.include('[web1001](agent-webrtc)');
    expect(text).to.include(`password = ${sipPassword('secret', 'agent1001')}`);
    expect(text.match(/type = aor/g)).to.have.length(2);
  });

  it('refuses an endpoint name that could inject config', () => {
    expect(() => renderAgentEndpoints([{ login: 'x', sip: 'PJSIP/a]\n[evil' }], 's')).to.throw(
      /bad endpoint/,
    );
  });
});

describe('caller text from SIP', () => {
  it('drops control characters (NUL cannot be stored) and keeps the rest, quotes and markup included', () => {
    expect(callerText('Ann\u0000 "O\'Neil" <b>\u001b[31m\t')).to.equal('Ann "O\'Neil" <b>[31m');
    expect(callerText('x'.repeat(400))).to.have.length(256);
  });
});

describe('video or audio call (S201)', () => {
  it('is video only when an SDP offer negotiated a video format; a late offer (no SDP) is audio', () => {
    expect(mediaOf('application/sdp', '(h264)')).to.equal('audio+video');
    expect(mediaOf('application/sdp', '(vp8|h264)')).to.equal('audio+video');
    expect(mediaOf('application/sdp', '(nothing)')).to.equal('audio');
    expect(mediaOf('', '(h264|vp8)')).to.equal('audio');
    expect(mediaOf('multipart/mixed;boundary=x', '(h264)')).to.equal('audio+video');
  });

  it("reads the decision from the dialplan's Stasis() arguments, or says it cannot", () => {
    const b64 = (t: string) => Buffer.from(t).toString('base64');
    expect(arrivalMedia(['200', `sdp=${b64('application/sdp')}`, 'video=(h264)'])).to.equal('audio+video');
    expect(arrivalMedia(['200', `sdp=${b64('application/sdp')}`, 'video=(nothing)'])).to.equal('audio');
    // A late offer: no Content-Type, an empty argument.
    expect(arrivalMedia(['200', 'sdp=', 'video=(h264)'])).to.equal('audio');
    // Not passed (an older dialplan), half passed, or not base64: SoftACD asks Asterisk instead.
    expect(arrivalMedia(['200'])).to.equal(undefined);
    expect(arrivalMedia(['200', 'video=(h264)'])).to.equal(undefined);
    expect(arrivalMedia(['200', 'sdp=application/sdp,x', 'video=(h264)'])).to.equal(undefined);
  });
});
