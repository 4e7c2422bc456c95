import jwt from 'jsonwebtoken';
import { randomUUID } from 'node:crypto';

/**
 * A guest token lets a customer with no account place one web video call to one public number. The AS
 * issues it (per-address rate limited) and SoftACD checks it when the call arrives (the browser sends it
 * as the X-Guest-Token header of its INVITE, the dialplan hands it over). Its own secret
 * (GUEST_TOKEN_SECRET), not the agents' one: SoftACD never holds the key that signs agents' tokens.
 */
export interface GuestClaims {
  /** The public number the token allows calling. */
  number: string;
  /** The token's id: SoftACD admits each id once. */
  jti: string;
  /** Seconds since the epoch. */
  exp: number;
}

export class GuestTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GuestTokenError';
  }
}

const ISSUER = 'ipcc-as';
const AUDIENCE = 'ipcc-guest';
const ALGORITHM = 'HS256';
/** Long enough to load the page's softphone and dial, short enough that a leaked token is soon useless. */
export const GUEST_TOKEN_TTL_SEC = 120;
const MIN_SECRET_LENGTH = 32;

export function loadGuestSecret(environment: NodeJS.ProcessEnv = process.env): string {
  const secret = environment.GUEST_TOKEN_SECRET ?? '';
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`GUEST_TOKEN_SECRET must be set, at least ${MIN_SECRET_LENGTH} characters`);
  }
  return secret;
}

export function signGuestToken(
  number: string,
  secret: string,
  ttlSec = GUEST_TOKEN_TTL_SEC,
): { token: string; jti: string; expiresAt: Date } {
  const jti = randomUUID();
  const token = jwt.sign({ num: number }, secret, {
    algorithm: ALGORITHM,
    issuer: ISSUER,
    audience: AUDIENCE,
    expiresIn: ttlSec,
    jwtid: jti,
  });
  return { token, jti, expiresAt: new Date((Math.floor(Date.now() / 1000) + ttlSec) * 1000) };
}

/** The claims of a valid guest token; throws GuestTokenError otherwise (forged, expired, malformed). */
export function verifyGuestToken(token: string, secret: string, nowMs = Date.now()): GuestClaims {
  let payload: string | jwt.JwtPayload;
  try {
    payload = jwt.verify(token, secret, {
      algorithms: [ALGORITHM],
      issuer: ISSUER,
      audience: AUDIENCE,
      clockTimestamp: Math.floor(nowMs / 1000),
    });
  } catch (err) {
    throw new GuestTokenError(
      err instanceof jwt.TokenExpiredError ? 'guest token expired' : 'invalid guest token',
    );
  }
  if (typeof payload === 'string') throw new GuestTokenError('invalid guest token');
  const { num, jti, exp, iat } = payload as jwt.JwtPayload & { num?: unknown };
  if (
    typeof num !== 'string' ||
    typeof jti !== 'string' ||
    typeof exp !== 'number' ||
    typeof iat !== 'number'
  ) {
    throw new GuestTokenError('invalid guest token: missing claims');
  }
  if (exp - iat > GUEST_TOKEN_TTL_SEC * 5)
    throw new GuestTokenError('invalid guest token: lifetime too long');
  return { number: num, jti, exp };
}
