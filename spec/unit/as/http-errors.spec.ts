import { MongoServerError } from 'mongodb';
import { expect } from '../../support/chai';
import { toBoom } from '../../../as/http/errors';

// Error texts as FerretDB v1.24 on PostgreSQL returned them to the AS during the long REST fuzz run.
const FERRET_DUPLICATE =
  '[msg_findandmodify.go:196 handler.(*Handler).findAndModifyDocument] [collection.go:218 postgresql.(*collection).UpdateAll.func1] ERROR: duplicate key value violates unique constraint "prompts_bf855c58_name___318aadbe_idx" (SQLSTATE 23505)';
const FERRET_BACKEND_LOST =
  '[msg_find.go:344 handler.handleMaxTimeMSError] [query_iterator.go:92 postgresql.(*queryIterator).Next] write failed: write tcp 127.0.0.1:36478->127.0.0.1:5432: write: connection reset by peer';

function serverError(message: string, code?: number): MongoServerError {
  return new MongoServerError(code === undefined ? { message } : { message, code });
}

describe('AS: store errors to HTTP answers', () => {
  it('a MongoDB duplicate key (code 11000) is 409', () => {
    expect(toBoom(serverError('E11000 duplicate key error', 11000))?.output.statusCode).to.equal(409);
  });

  it("FerretDB's PostgreSQL unique violation without code 11000 is 409, not 500", () => {
    expect(toBoom(serverError(FERRET_DUPLICATE))?.output.statusCode).to.equal(409);
  });

  it('a lost connection between FerretDB and PostgreSQL is 503', () => {
    expect(toBoom(serverError(FERRET_BACKEND_LOST))?.output.statusCode).to.equal(503);
  });

  it('any other server error stays unmapped (hapi answers 500 and logs it)', () => {
    expect(toBoom(serverError('unexpected operator $foo', 2))).to.equal(null);
  });
});
