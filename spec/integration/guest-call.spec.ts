import jwt from 'jsonwebtoken';
import { randomUUID } from 'node:crypto';
import { EXCHANGES } from '../../lib/bus/topology';
import { signGuestToken } from '../../lib/guest-token';
import { BusObserver, eventually, type Seen } from '../support/bus-observer';
import { expect } from '../support/chai';
import { asteriskIsClean } from '../support/ari';
import { requireSystem } from '../support/servers';
import { sipp } from '../support/sipp';
import { WsSipCall } from '../support/ws-sip';

/**
 * The customer's web call (issue 11) as Asterisk and SoftACD see it: an INVITE from the `guest` WebRTC
 * endpoint with the AS's guest token in X-Guest-Token (what the page's JsSIP sends; sipp stands in, with
 * a browser-like DTLS/ICE offer). Admitted: the same path as a phone caller (SoftACD reports it, the IVR
 * answers 200). Refused (cause 21, SIP 403) and never reported: a replayed token, another number, a
 * forged, expired or missing token. Number 100 (the demo IVR); sipp port 5491. The last case speaks SIP
 * over Asterisk's `/ws` itself, as the page does.
 */
describe('guest web calls: admitted with a valid token once, refused otherwise (403)', function () {
  this.timeout(60_000);
  const bus = new BusObserver();
  const secret = () => {
    const s = process.env.GUEST_TOKEN_SECRET;
    if (!s) throw new Error('GUEST_TOKEN_SECRET not set (scripts/lib.sh load_env)');
    return s;
  };

  before(async () => {
    await requireSystem(['rabbitmq', 'asterisk', 'softacd', 'ivr', 'cti']);
    await bus.start([EXCHANGES.events]);
  });
  after(() => bus.stop());

  const delivered = (from: number): Seen[] =>
    bus.seen
      .slice(from)
      .filter(
        (s) =>
          s.body.type === 'CallDelivered' &&
          s.body.callingNumber === 'guest' &&
          (s.body.deliveredTo as { kind?: string } | undefined)?.kind === 'acd',
      );

  const guest = (scenario: 'guest-call.xml' | 'guest-refused.xml', number: string, token: string) =>
    sipp(scenario, { service: number, localPort: 5491, holdMs: 2500, vars: { token } });

  async function refused(number: string, token: string, what: string): Promise<void> {
    const mark = bus.seen.length;
    const run = await guest('guest-refused.xml', number, token);
    expect(run.code, `${what}: 403 expected\n${run.stdout.slice(-1200)}`).to.equal(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(delivered(mark), `${what}: never reported to CTI`).to.deep.equal([]);
  }

  it('a valid token reaches the IVR like a phone caller; the same token again is refused', async () => {
    const { token } = signGuestToken('100', secret());
    const mark = bus.seen.length;
    const run = await guest('guest-call.xml', '100', token);
    expect(run.code, `admitted: 200 expected\n${run.stdout.slice(-1200)}`).to.equal(0);
    const call = await eventually('CallDelivered', () => delivered(mark)[0]);
    expect(call.body).to.include({ calledNumber: '100', media: 'audio' });
    expect(call.body.deliveredTo).to.deep.equal({ kind: 'acd', instance: 'softacd-1' });
    const contactId = String(call.body.contactId);
    const types = () => bus.seen.filter((s) => s.body.contactId === contactId).map((s) => s.body.type);
    await eventually('cleared', () => types().includes('ConnectionCleared'));
    expect(types()).to.include.members(['RouteRequest', 'RouteEnd', 'ConnectionCleared']);

    await refused('100', token, 'replayed token');
  });

  it('refused: another number, a forged token, an expired one, none', async () => {
    await refused('200', signGuestToken('100', secret()).token, 'token for another number');
    await refused('100', signGuestToken('100', 'x'.repeat(40)).token, 'forged token');
    const now = Math.floor(Date.now() / 1000);
    const expired = jwt.sign({ num: '100', iat: now - 200, exp: now - 80 }, secret(), {
      algorithm: 'HS256',
      issuer: 'ipcc-as',
      audience: 'ipcc-guest',
      jwtid: randomUUID(),
    });
    await refused('100', expired, 'expired token');
    await refused('100', '', 'no token');
    // Other suites' calls may be up; none of the guest's may be.
    const left = (await asteriskIsClean()).channels as Array<{ name: string }>;
    expect(left.filter((c) => c.name.startsWith('PJSIP/guest-')).map((c) => c.name)).to.deep.equal([]);
  });

  it('over the WebSocket /ws like the page: admitted (200, then BYE 200), the token again 403', async () => {
    const url = (process.env.ARI_URL ?? 'http://127.0.0.1:8088').replace(/^http/, 'ws') + '/ws';
    const { token } = signGuestToken('100', secret());
    const mark = bus.seen.length;
    const call = await WsSipCall.open(url, 'guest');
    try {
      expect(await call.invite('100', [`X-Guest-Token: ${token}`]), 'INVITE over /ws').to.equal(200);
      await eventually('CallDelivered', () => delivered(mark)[0]);
      expect(await call.bye(), 'BYE').to.equal(200);
    } finally {
      call.close();
    }
    const again = await WsSipCall.open(url, 'guest');
    try {
      expect(await again.invite('100', [`X-Guest-Token: ${token}`]), 'replay over /ws').to.equal(403);
    } finally {
      again.close();
    }
    expect(delivered(mark)).to.have.length(1);
  });
});
