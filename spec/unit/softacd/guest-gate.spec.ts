import jwt from 'jsonwebtoken';
import { signGuestToken } from '../../../lib/guest-token';
import { GuestGate, guestArg } from '../../../stasis-app/softacd/guest-gate';
import { expect } from '../../support/chai';

const secret = 's'.repeat(40);
const b64 = (token: string) => Buffer.from(token).toString('base64');

describe('guest gate: web guests admitted with a valid, unused token for the number dialled', () => {
  it('admits a valid token once; the same token again is refused', () => {
    const gate = new GuestGate(secret);
    const { token, jti } = signGuestToken('100', secret);
    expect(gate.admit(b64(token), '100')).to.deep.equal({ ok: true, jti });
    expect(gate.admit(b64(token), '100')).to.deep.equal({ ok: false, reason: 'guest token already used' });
    expect(gate.size).to.equal(1);
  });

  it('refuses another number without using the token up', () => {
    const gate = new GuestGate(secret);
    const { token } = signGuestToken('100', secret);
    expect(gate.admit(b64(token), '200')).to.deep.equal({
      ok: false,
      reason: 'guest token is for another number (100)',
    });
    expect(gate.admit(b64(token), '100').ok).to.equal(true);
  });

  it('refuses forged, expired, malformed, empty tokens, and every token without a secret', () => {
    const gate = new GuestGate(secret);
    const reason = (encoded: string) => {
      const v = gate.admit(encoded, '100');
      return v.ok ? 'admitted' : v.reason;
    };
    expect(reason(b64(signGuestToken('100', 'x'.repeat(40)).token))).to.equal('invalid guest token');
    const now = Math.floor(Date.now() / 1000);
    const expired = jwt.sign({ num: '100', iat: now - 200, exp: now - 80 }, secret, {
      issuer: 'ipcc-as',
      audience: 'ipcc-guest',
      jwtid: 'j1',
    });
    expect(reason(b64(expired))).to.equal('guest token expired');
    expect(reason('not base64!')).to.equal('malformed guest token');
    expect(reason('A'.repeat(5000))).to.equal('malformed guest token');
    expect(reason(b64('a.b.c'))).to.equal('invalid guest token');
    expect(reason('')).to.equal('no guest token');
    const off = new GuestGate(undefined);
    expect(off.admit(b64(signGuestToken('100', secret).token), '100')).to.deep.equal({
      ok: false,
      reason: 'guest calls disabled',
    });
  });

  it('forgets used token ids only after any token could have expired', () => {
    let now = Date.now();
    const gate = new GuestGate(secret, () => now);
    const { token } = signGuestToken('100', secret);
    expect(gate.admit(b64(token), '100').ok).to.equal(true);
    now += 599_000;
    expect(gate.size).to.equal(1);
    expect(gate.admit(b64(token), '100').ok).to.equal(false);
  });

  it('reads the guest argument only from [from-guests] calls', () => {
    expect(guestArg(['100', 'sdp=eA==', 'video=(nothing)', 'guest=dG9r'])).to.equal('dG9r');
    expect(guestArg(['100', 'sdp=eA==', 'video=(nothing)', 'guest='])).to.equal('');
    expect(guestArg(['100', 'sdp=eA==', 'video=(nothing)'])).to.equal(undefined);
  });
});
