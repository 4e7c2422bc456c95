import { REFUSAL_TEXT, type AccountGuard } from '../../as/domain/account-access';
import type { Role, VerifiedToken } from '../../lib/auth-token';
import { errorText, type Logger } from '../../lib/log';

export const CLOSE_UNAUTHENTICATED = 4401;
/** WebSocket's "try again later": the account could not be checked (the store is unreachable). */
export const CLOSE_TRY_LATER = 1013;

export type Admission =
  { ok: true; claims: VerifiedToken } | { ok: false; code: string; message: string; close: number };

export interface AdmissionPorts {
  /** Checks a token's signature, expiry and lifetime (lib/auth-token.ts); throws when it is not valid. */
  verifyToken(token: string): VerifiedToken;
  /** The account check the AS also makes (as/domain/account-access.ts), over the shared model. */
  accounts: Pick<AccountGuard, 'check'>;
  log: Logger;
}

/** Who may use a socket: a token holding any of `roles`; others are refused with `code` and `close`. */
export interface RoleRule {
  roles: readonly Role[];
  code: string;
  message: string;
  close: number;
}

/**
 * One rule for every CTI socket (agents' interface A, supervisors' wallboard): a token is admitted when
 * it is valid, holds one of the socket's roles, and its account (exists, active, roles, version) allows
 * it: the same check as the AS's on every request. Never throws.
 */
export async function admitToken(ports: AdmissionPorts, token: string, rule: RoleRule): Promise<Admission> {
  let claims: VerifiedToken;
  try {
    claims = ports.verifyToken(token);
  } catch (err) {
    return { ok: false, code: 'invalid_token', message: errorText(err), close: CLOSE_UNAUTHENTICATED };
  }
  if (!claims.roles.some((r) => rule.roles.includes(r))) {
    return { ok: false, code: rule.code, message: rule.message, close: rule.close };
  }
  try {
    const refused = await ports.accounts.check(claims);
    if (refused !== null) {
      return { ok: false, code: refused, message: REFUSAL_TEXT[refused], close: CLOSE_UNAUTHENTICATED };
    }
  } catch (err) {
    ports.log.error('account check failed', { personId: claims.sub, error: errorText(err) });
    return {
      ok: false,
      code: 'unavailable',
      message: 'the account cannot be checked now',
      close: CLOSE_TRY_LATER,
    };
  }
  return { ok: true, claims };
}
