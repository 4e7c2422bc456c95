/**
 * Typed errors raised by services. Services know nothing of HTTP; `as/http/errors.ts` maps these to status
 * codes at the edge.
 */
export type ErrorCode =
  'not_found' | 'forbidden' | 'conflict' | 'invalid' | 'unauthorized' | 'rate_limited' | 'unavailable';

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export class NotFoundError extends AppError {
  constructor(what: string) {
    super('not_found', `${what} not found`);
  }
}

export class ForbiddenError extends AppError {
  constructor(message: string) {
    super('forbidden', message);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, details?: unknown) {
    super('conflict', message, details);
  }
}

export class InvalidError extends AppError {
  constructor(message: string, details?: unknown) {
    super('invalid', message, details);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message: string) {
    super('unauthorized', message);
  }
}

export class RateLimitedError extends AppError {
  constructor(readonly retryAfterSec: number) {
    super('rate_limited', `too many attempts; retry in ${retryAfterSec} s`);
  }
}
