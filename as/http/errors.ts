import Boom from '@hapi/boom';
import mongoose from 'mongoose';
import { AppError, RateLimitedError } from '../errors';

const STATUS: Record<AppError['code'], number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
};

// FerretDB v1 on PostgreSQL answers a unique violation inside findAndModify with PostgreSQL's own error
// (SQLSTATE 23505) and no code 11000, so the message is read too (found by the long REST fuzz run).
const BACKEND_DUPLICATE = /duplicate key value violates unique constraint|SQLSTATE 23505/;
// A lost connection between FerretDB and PostgreSQL comes back as a server error naming the socket error.
const BACKEND_DOWN =
  /MongoNotConnected|Client must be connected|connection .* closed|connection reset by peer|broken pipe|SQLSTATE 08|SQLSTATE 57P0/i;

export function isDuplicateKey(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  if ((err as { code?: unknown }).code === 11000) return true;
  return err instanceof Error && BACKEND_DUPLICATE.test(err.message);
}

export function isStoreDown(err: unknown): boolean {
  return (
    err instanceof mongoose.Error.MongooseServerSelectionError ||
    (err instanceof Error && (err.name === 'MongoNetworkError' || BACKEND_DOWN.test(err.message)))
  );
}

/** Maps an error from a service or the store to a Boom error; null leaves it as hapi's 500. */
export function toBoom(err: unknown): Boom.Boom | null {
  if (err instanceof AppError) {
    const boom = new Boom.Boom(err.message, { statusCode: STATUS[err.code], data: err.details });
    boom.output.payload.code = err.code;
    if (err.details !== undefined) boom.output.payload.details = err.details;
    if (err instanceof RateLimitedError) boom.output.headers['Retry-After'] = String(err.retryAfterSec);
    return boom;
  }
  if (err instanceof mongoose.Error.CastError) {
    return Boom.badRequest(`invalid value for ${err.path}`);
  }
  if (err instanceof mongoose.Error.ValidationError) {
    const boom = Boom.badRequest(err.message);
    boom.output.payload.details = Object.values(err.errors).map((e) => ({
      path: e.path,
      message: e.message,
    }));
    return boom;
  }
  if (err instanceof mongoose.Error.StrictModeError) return Boom.badRequest(err.message);
  if (isDuplicateKey(err)) return Boom.conflict('a record with the same unique key already exists');
  if (isStoreDown(err)) return Boom.serverUnavailable('the data store is unreachable');
  return null;
}
