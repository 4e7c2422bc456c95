import { expect } from '../../support/chai';
import { withoutTransportCc } from '../../../agent-ui/src/domain/sdp';

/** Lines as Asterisk 22 writes them in its offer to a WebRTC endpoint (video part, trimmed). */
const ASTERISK_VIDEO = [
  'm=video 10192 UDP/TLS/RTP/SAVPF 100 99',
  'a=rtpmap:100 VP8/90000',
  'a=rtcp-mux',
  'a=rtcp-fb:* transport-cc',
  'a=rtcp-fb:* ccm fir',
  'a=rtcp-fb:* goog-remb',
  'a=rtcp-fb:* nack',
  'a=extmap:1 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
  'a=mid:video-1',
  '',
];

describe('agent-ui sdp: transport-cc out of the SDP Asterisk sends', () => {
  it('drops the transport-cc feedback and the transport-wide sequence extension, keeps the rest', () => {
    const out = withoutTransportCc(ASTERISK_VIDEO.join('\r\n'));
    expect(out.split('\r\n')).to.deep.equal([
      'm=video 10192 UDP/TLS/RTP/SAVPF 100 99',
      'a=rtpmap:100 VP8/90000',
      'a=rtcp-mux',
      'a=rtcp-fb:* ccm fir',
      'a=rtcp-fb:* goog-remb',
      'a=rtcp-fb:* nack',
      'a=mid:video-1',
      '',
    ]);
  });

  it('handles per-payload feedback, a direction on the extension, and bare LF line ends', () => {
    const sdp = [
      'a=rtcp-fb:100 transport-cc',
      'a=rtcp-fb:100 nack pli',
      'a=extmap:3/sendrecv http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
      'a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid',
    ].join('\n');
    expect(withoutTransportCc(sdp)).to.equal(
      ['a=rtcp-fb:100 nack pli', 'a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid'].join('\n'),
    );
  });

  it('leaves an SDP without transport-cc unchanged', () => {
    const sdp = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n';
    expect(withoutTransportCc(sdp)).to.equal(sdp);
  });
});
