import type { ServerInjectResponse } from '@hapi/hapi';
import { expect } from '../../support/chai';
import type { CapturedErrors } from './captured-log';
import type { Req } from './openapi-ops';

/** One request and its answer, shortened, for a failure message. */
export function describeReq(req: Req, res: ServerInjectResponse<unknown>): string {
  const body = req.payload === undefined ? '' : ` body=${req.payload.slice(0, 300)}`;
  return `${req.method} ${req.url.slice(0, 300)} auth=${(req.headers.authorization ?? '-').slice(0, 40)}…${body} -> ${res.statusCode} ${res.payload.slice(0, 400)}`;
}

/** What checks every answer: the invariants it must hold, whatever was asked. */
export type AnswerCheck = (req: Req, res: ServerInjectResponse<unknown>) => void;

/**
 * The invariants every answer must hold, whatever was asked: never a 5xx (the last error the AS
 * logged, from `captured`, goes in the message), JSON or a report's CSV, a message on every error, no
 * prototype pollution.
 */
export function answerChecker(captured: CapturedErrors): AnswerCheck {
  return (req, res) => {
    const what = describeReq(req, res);
    expect(res.statusCode, `5xx: ${what}; last logged error: ${captured.lines.at(-1) ?? 'none'}`).to.be.below(
      500,
    );
    const type = String(res.headers['content-type'] ?? '');
    if (res.payload.length > 0) {
      if (type.startsWith('text/csv')) {
        expect(res.statusCode, `CSV only for a report: ${what}`).to.equal(200);
        expect(req.url, what).to.match(/^\/api\/v1\/reports\//);
      } else {
        expect(type, `not JSON: ${what}`).to.match(/^application\/json/);
        const parsed = JSON.parse(res.payload) as { message?: unknown };
        if (res.statusCode >= 400) {
          expect(parsed.message, `no message: ${what}`).to.be.a('string').and.not.equal('');
        }
      }
    } else {
      expect(res.statusCode, `empty answer: ${what}`).to.be.oneOf([200, 204]);
    }
    const proto = Object.prototype as Record<string, unknown>;
    expect(proto.polluted, `prototype polluted by ${what}`).to.equal(undefined);
    expect(proto.isAdmin, `prototype polluted by ${what}`).to.equal(undefined);
  };
}
