import { GUEST_TOKEN_TTL_SEC, GuestTokenError, verifyGuestToken } from '../../lib/guest-token';
import { TtlCache } from '../../lib/ttl-cache';

export type GuestVerdict = { ok: true; jti: string } | { ok: false; reason: string };

/**
 * verifyGuestToken refuses tokens living longer than this (5 x the issued lifetime): a token id kept
 * this long cannot be admitted twice while its token is still valid.
 */
const USED_TTL_MS = GUEST_TOKEN_TTL_SEC * 5 * 1000;
/** Bounded whatever arrives; the AS issues tokens per address at a limited rate, far below this. */
const MAX_USED = 50_000;
/** A JWT is a few hundred characters; anything much longer is not one of ours. */
const MAX_TOKEN_LENGTH = 4096;

/**
 * Admission of web guests' calls (`[from-guests]`): the X-Guest-Token header of the INVITE, which the
 * dialplan hands over base64-encoded (`guest=` Stasis argument, since it is the caller's text), must be
 * a valid guest token (signature, issuer, audience, expiry) for the number dialled, never used before.
 * A token's id is taken when its call is admitted.
 */
export class GuestGate {
  private readonly used: TtlCache<true>;

  constructor(
    private readonly secret: string | undefined,
    private readonly now: () => number = Date.now,
  ) {
    this.used = new TtlCache<true>(USED_TTL_MS, MAX_USED, now);
  }

  admit(encodedToken: string, calledNumber: string): GuestVerdict {
    if (this.secret === undefined || this.secret === '') return { ok: false, reason: 'guest calls disabled' };
    if (encodedToken === '') return { ok: false, reason: 'no guest token' };
    if (encodedToken.length > MAX_TOKEN_LENGTH || !/^[A-Za-z0-9+/]*={0,2}$/.test(encodedToken))
      return { ok: false, reason: 'malformed guest token' };
    const token = Buffer.from(encodedToken, 'base64').toString('latin1').trim();
    let claims;
    try {
      claims = verifyGuestToken(token, this.secret, this.now());
    } catch (err) {
      if (err instanceof GuestTokenError) return { ok: false, reason: err.message };
      throw err;
    }
    if (claims.number !== calledNumber)
      return { ok: false, reason: `guest token is for another number (${claims.number})` };
    if (this.used.has(claims.jti)) return { ok: false, reason: 'guest token already used' };
    this.used.set(claims.jti, true);
    return { ok: true, jti: claims.jti };
  }

  get size(): number {
    return this.used.size;
  }
}

/** The `guest=<base64>` Stasis argument, or undefined when the call did not come through `[from-guests]`. */
export function guestArg(args: readonly string[]): string | undefined {
  return args.find((a) => a.startsWith('guest='))?.slice('guest='.length);
}
