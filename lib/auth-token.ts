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

export function signToken(claims: TokenClaims, secret: string, ttlSec = DEFAULT_TOKEN_TTL_SEC): IssuedToken {
  const token = jwt.sign({ roles: claims.roles }, secret, {
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

/** Returns the claims of a valid token; throws TokenError for anything else (expired, forged, malformed). */
export function verifyToken(token: string, secret: string): TokenClaims {
  let payload: string | jwt.JwtPayload;
  try {
    // The algorithm list is pinned so a token cannot choose `none` or an asymmetric algorithm.
    payload = jwt.verify(token, secret, { algorithms: [ALGORITHM], issuer: ISSUER, audience: AUDIENCE });
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
  return { sub: payload.sub, roles: [...roles] };
}
