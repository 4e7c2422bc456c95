import jwt from 'jsonwebtoken';

/**
 * Short-lived access tokens shared by the AS (which issues them at login) and the CTI (which checks them
 * when an agent opens its WebSocket). Pure: no I/O beyond reading the secret from the environment, so any
 * process holding the same secret verifies the same tokens.
 */
export const ROLES = ['agent', 'supervisor', 'admin', 'ivr'] as const;
export type Role = (typeof ROLES)[number];

export interface TokenClaims {
  /** The agent's id (a MongoDB ObjectId as hex), or a service name for the IVR. */
  sub: string;
  roles: Role[];
  /**
   * The account's token version when the token was issued (claim `ver`); a logout, deactivation, role or
   * password change bumps the account's version and so revokes every token issued before. A token with no
   * `ver` (issued before the claim existed) counts as version 0, which the first bump revokes.
   */
  ver: number;
}

/** What a verified token says: its claims and when it expires (the `exp` claim, seconds since the epoch). */
export interface VerifiedToken extends TokenClaims {
  exp: number;
}

export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

export class TokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenError';
  }
}

const ISSUER = 'ipcc-as';
const AUDIENCE = 'ipcc';
const ALGORITHM = 'HS256';
export const DEFAULT_TOKEN_TTL_SEC = 15 * 60;
/**
 * No token lives longer than this, whoever signed it: a stolen token is useful for an hour at most, and
 * revocation (token versions) is the tool for anything shorter. Clients refresh well before.
 */
export const MAX_TOKEN_TTL_SEC = 60 * 60;
/** Clocks of the signing and verifying processes may differ by this much. */
const CLOCK_SKEW_SEC = 60;
/** HS256 is only as strong as its key; a short secret is brute-forceable offline from any captured token. */
const MIN_SECRET_LENGTH = 32;

/** Reads AUTH_TOKEN_SECRET; throws so that a process never starts with a missing or guessable key. */
export function loadTokenSecret(environment: NodeJS.ProcessEnv = process.env): string {
  const secret = environment.AUTH_TOKEN_SECRET;
  if (secret === undefined || secret === '') {
    throw new Error('AUTH_TOKEN_SECRET is not set: refusing to start without a token signing secret');
  }
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`AUTH_TOKEN_SECRET must be at least ${MIN_SECRET_LENGTH} characters`);
  }
  return secret;
}

export function signToken(
  claims: Omit<TokenClaims, 'ver'> & { ver?: number },
  secret: string,
  ttlSec = DEFAULT_TOKEN_TTL_SEC,
): IssuedToken {
  if (!Number.isInteger(ttlSec) || ttlSec <= 0 || ttlSec > MAX_TOKEN_TTL_SEC) {
    throw new RangeError(`token lifetime must be 1..${MAX_TOKEN_TTL_SEC} s, got ${ttlSec}`);
  }
  const token = jwt.sign({ roles: claims.roles, ver: claims.ver ?? 0 }, secret, {
    algorithm: ALGORITHM,
    subject: claims.sub,
    issuer: ISSUER,
    audience: AUDIENCE,
    expiresIn: ttlSec,
  });
  // Second resolution, as in the token's own `exp` claim.
  const expiresAt = new Date((Math.floor(Date.now() / 1000) + ttlSec) * 1000);
  return { token, expiresAt };
}

function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/**
 * Returns the claims of a valid token; throws TokenError for anything else (expired, forged, malformed,
 * without an expiry, or living longer than MAX_TOKEN_TTL_SEC).
 */
export function verifyToken(token: string, secret: string, nowMs = Date.now()): VerifiedToken {
  let payload: string | jwt.JwtPayload;
  try {
    // The algorithm list is pinned so a token cannot choose `none` or an asymmetric algorithm.
    payload = jwt.verify(token, secret, {
      algorithms: [ALGORITHM],
      issuer: ISSUER,
      audience: AUDIENCE,
      clockTimestamp: Math.floor(nowMs / 1000),
    });
  } catch (err) {
    const reason = err instanceof jwt.TokenExpiredError ? 'token expired' : 'invalid token';
    throw new TokenError(reason);
  }
  if (typeof payload === 'string' || typeof payload.sub !== 'string' || payload.sub === '') {
    throw new TokenError('invalid token: no subject');
  }
  const roles: unknown = payload.roles;
  if (!Array.isArray(roles) || roles.length === 0 || !roles.every(isRole)) {
    throw new TokenError('invalid token: bad roles claim');
  }
  // jsonwebtoken accepts a token without `exp` (it never expires): refused here, as is one whose lifetime
  // exceeds the cap, measured from its issue time and from now (a forged `iat` cannot stretch it).
  const { exp, iat } = payload;
  if (typeof exp !== 'number' || typeof iat !== 'number') {
    throw new TokenError('invalid token: no expiry');
  }
  const nowSec = Math.floor(nowMs / 1000);
  if (exp - iat > MAX_TOKEN_TTL_SEC || exp - nowSec > MAX_TOKEN_TTL_SEC + CLOCK_SKEW_SEC) {
    throw new TokenError('invalid token: lifetime over the maximum');
  }
  const ver: unknown = payload.ver === undefined ? 0 : payload.ver;
  if (typeof ver !== 'number' || !Number.isSafeInteger(ver) || ver < 0) {
    throw new TokenError('invalid token: bad version claim');
  }
  return { sub: payload.sub, roles: [...roles], ver, exp };
}

/** A service identity (the IVR): role `ivr` only, no account behind it, so no account check applies. */
export function isServiceToken(claims: Pick<TokenClaims, 'roles'>): boolean {
  return claims.roles.length > 0 && claims.roles.every((r) => r === 'ivr');
}
