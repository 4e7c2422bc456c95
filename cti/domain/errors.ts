/**
 * Typed errors of the CTI domain. The domain never throws for a refused command: it returns
 * `{ ok: false, error }`, so the adapter decides (log, nack, reply to the agent client) at the edge.
 */
export type DomainErrorCode =
  | 'ILLEGAL_AGENT_TRANSITION'
  | 'ILLEGAL_CONTACT_TRANSITION'
  | 'UNKNOWN_AGENT'
  | 'UNKNOWN_QUEUE'
  | 'UNKNOWN_CONTACT'
  | 'UNKNOWN_TIMER'
  | 'DUPLICATE_AGENT'
  | 'DUPLICATE_QUEUE'
  | 'DUPLICATE_CONTACT'
  | 'INVALID_CONFIG'
  | 'QUEUE_IN_USE'
  | 'AGENT_HAS_TASKS'
  | 'WRONG_CHANNEL'
  | 'CONTACT_NOT_WAITING'
  | 'INVALID_SNAPSHOT';

export class DomainError extends Error {
  override readonly name = 'DomainError';

  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

export type Result<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: DomainError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T>(
  code: DomainErrorCode,
  message: string,
  details: Readonly<Record<string, unknown>> = {},
): Result<T> {
  return { ok: false, error: new DomainError(code, message, details) };
}
