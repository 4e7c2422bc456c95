import path from 'node:path';
import { expect } from '../../support/chai';
import { endpointName, guestSip, numberReasons, queueChannel, sipAccount } from '../../../as/domain/desktop';
import { cacheControlOf } from '../../../as/plugins/pages/routes';
import { desktopSettingsFrom } from '../../../as/settings';

describe('AS desktop rules (unit)', () => {
  it('numbers reasons by name, 1 to 9, as CTI orders them; the tenth and later get no digit', () => {
    const reasons = ['lunch', 'break', 'training', 'meeting', 'after-call'].map((name) => ({ name }));
    expect(numberReasons(reasons)).to.deep.equal([
      { name: 'after-call', digit: 1 },
      { name: 'break', digit: 2 },
      { name: 'lunch', digit: 3 },
      { name: 'meeting', digit: 4 },
      { name: 'training', digit: 5 },
    ]);
    const many = numberReasons(
      Array.from({ length: 12 }, (_, i) => ({ name: `r${String(i).padStart(2, '0')}` })),
    );
    expect(many.map((r) => r.digit)).to.deep.equal([
      1,
      2,
      3,
      4,
      5,
      6,
      7,
      8,
      9,
      undefined,
      undefined,
      undefined,
    ]);
    expect(many[9]).not.to.have.property('digit');
    expect(numberReasons([])).to.deep.equal([]);
  });

  it('a queue with video hold media is a video queue', () => {
    expect(queueChannel({ media: { video: 'queue-music' } })).to.equal('video');
    expect(queueChannel({ media: { video: null } })).to.equal('voice');
    expect(queueChannel({})).to.equal('voice');
  });

  it('endpoint names come only from PJSIP/<name>', () => {
    expect(endpointName('PJSIP/webrtc1001')).to.equal('webrtc1001');
    expect(endpointName('SIP/webrtc1001')).to.equal(undefined);
    expect(endpointName('PJSIP/a;b')).to.equal(undefined);
    expect(endpointName(undefined)).to.equal(undefined);
    expect(endpointName(null)).to.equal(undefined);
  });

  it('the softphone and guest SIP accounts', () => {
    const where = { sipWsUrl: 'ws://h:8088/ws', sipHost: 'pbx.example' };
    expect(sipAccount('webrtc1001', 'Agent 1001', where, (n) => `pw-${n}`)).to.deep.equal({
      wsUrl: 'ws://h:8088/ws',
      uri: 'sip:webrtc1001@pbx.example',
      username: 'webrtc1001',
      password: 'pw-webrtc1001',
      displayName: 'Agent 1001',
    });
    expect(guestSip('100', where)).to.deep.equal({
      wsUrl: 'ws://h:8088/ws',
      uri: 'sip:guest@pbx.example',
      target: 'sip:100@pbx.example',
    });
  });

  it('settings from the environment load_env builds, with their defaults and overrides', () => {
    const d = desktopSettingsFrom({}, '/r');
    expect(d).to.deep.equal({
      ctiUrl: 'ws://127.0.0.1:8091',
      sipWsUrl: 'ws://127.0.0.1:8088/ws',
      sipHost: '127.0.0.1',
      agentSipSecret: undefined,
      publicNumbers: ['100'],
      guestSecret: undefined,
      pagesDir: path.resolve('/r/agent-ui/dist'),
    });
    const e = desktopSettingsFrom(
      {
        CTI_WS_HOST: '10.0.0.2',
        CTI_WS_PORT: '9001',
        ASTERISK_HTTP_HOST: '10.0.0.3',
        ASTERISK_HTTP_PORT: '9088',
        SIP_HOST: 'pbx',
        AGENT_SIP_SECRET: 's1',
        GUEST_TOKEN_SECRET: 'g1',
        PUBLIC_VIDEO_NUMBERS: ' 100, 200 ,',
        AGENT_UI_DIST: '/srv/ui',
      },
      '/r',
    );
    expect(e.ctiUrl).to.equal('ws://10.0.0.2:9001');
    expect(e.sipWsUrl).to.equal('ws://10.0.0.3:9088/ws');
    expect(e.publicNumbers).to.deep.equal(['100', '200']);
    expect(e.pagesDir).to.equal('/srv/ui');
    expect([e.sipHost, e.agentSipSecret, e.guestSecret]).to.deep.equal(['pbx', 's1', 'g1']);
    const proxied = desktopSettingsFrom(
      { AGENT_CTI_URL: 'wss://cc/cti', AGENT_SIP_WS_URL: 'wss://cc/ws' },
      '/r',
    );
    expect([proxied.ctiUrl, proxied.sipWsUrl]).to.deep.equal(['wss://cc/cti', 'wss://cc/ws']);
    expect(() => desktopSettingsFrom({ PUBLIC_VIDEO_NUMBERS: '100,sip:x' }, '/r')).to.throw(
      'PUBLIC_VIDEO_NUMBERS: not a number: sip:x',
    );
  });

  it('cache rules: HTML never stored, hashed assets a year, the rest revalidated', () => {
    expect(cacheControlOf('agent.html')).to.equal('no-store');
    expect(cacheControlOf('assets/agent-5XKQ2ABC.js')).to.equal('public, max-age=31536000, immutable');
    expect(cacheControlOf('agent-5XKQ2ABC.css')).to.equal('public, max-age=31536000, immutable');
    expect(cacheControlOf('agent.js')).to.equal('no-cache');
    expect(cacheControlOf('favicon.ico')).to.equal('no-cache');
  });
});
