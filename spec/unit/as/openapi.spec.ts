import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import winston from 'winston';
import { expect } from '../../support/chai';
import { generateOpenapi } from '../../../as/plugins/openapi/generate';
import {
  errorBody,
  errorStatuses,
  responsesOf,
  type RouteFacts,
} from '../../../as/plugins/openapi/responses';
import { createServer } from '../../../as/server';

interface Operation {
  security?: unknown[];
  parameters?: unknown[];
  requestBody?: unknown;
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
}
type Doc = { paths: Record<string, Record<string, Operation>>; info: { license?: { name: string } } };

const ROOT = path.resolve(__dirname, '../../..');

function operations(doc: Doc): [string, Operation][] {
  return Object.entries(doc.paths).flatMap(([p, methods]) =>
    Object.entries(methods).map(([m, op]): [string, Operation] => [`${m.toUpperCase()} ${p}`, op]),
  );
}

describe('AS: the OpenAPI document', function () {
  this.timeout(60_000);
  let doc: Doc;

  before(async () => {
    doc = (await generateOpenapi()) as unknown as Doc;
  });

  it('describes every operation, with a licence', () => {
    expect(operations(doc).length).to.be.greaterThan(40);
    expect(doc.info.license?.name).to.equal('Apache-2.0');
  });

  it('every operation has one success answer and its errors with the Error schema', () => {
    for (const [name, op] of operations(doc)) {
      const codes = Object.keys(op.responses);
      expect(
        codes.filter((c) => c.startsWith('2')),
        name,
      ).to.have.length(1);
      expect(codes, name).to.include.members(['500', '503']);
      const opened = Array.isArray(op.security) && op.security.length === 0;
      // Every operation but log-in and guest calls needs a token, and every such one has role rules.
      if (!opened) expect(codes, name).to.include.members(['401', '403']);
      if ((op.parameters?.length ?? 0) > 0 || op.requestBody) expect(codes, name).to.include('400');
      if (name.includes('{')) expect(codes, name).to.include('404');
      for (const code of codes.filter((c) => Number(c) >= 400)) {
        const ref = op.responses[code]?.content?.['application/json']?.schema?.$ref;
        expect(ref, `${name} ${code}`).to.equal('#/components/schemas/Error');
      }
    }
  });

  it('log-in and guest calls are the only operations without a token; their limits answer 429', () => {
    const opened = operations(doc)
      .filter(([, op]) => Array.isArray(op.security) && op.security.length === 0)
      .map(([name]) => name);
    expect(opened).to.have.members(['POST /api/v1/auth/login', 'POST /api/v1/guest/calls']);
    for (const name of opened) {
      expect(Object.keys(operations(doc).find(([n]) => n === name)?.[1].responses ?? {})).to.include('429');
    }
  });

  it('the Error schema matches what the AS really answers (400 from validation, 401 without a token)', async () => {
    const server = await createServer({
      log: winston.createLogger({ silent: true }),
      tokenSecret: 'openapi-spec-secret-not-used-for-real-tokens',
      desktop: {
        ctiUrl: 'ws://x',
        sipWsUrl: 'ws://y',
        sipHost: 'h',
        publicNumbers: [],
        pagesDir: '/nonexistent',
      },
    });
    const bad = await server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: 1 } });
    expect(bad.statusCode).to.equal(400);
    const noToken = await server.inject({ method: 'GET', url: '/api/v1/agents' });
    expect(noToken.statusCode).to.equal(401);
    for (const res of [bad, noToken]) {
      const { error } = errorBody.validate(JSON.parse(res.payload), { presence: 'optional' });
      expect(error?.message).to.equal(undefined);
    }
    expect((JSON.parse(bad.payload) as { details?: unknown }).details).to.be.an('array').that.is.not.empty;
  });

  it("passes Redocly's recommended rules with no error and no warning", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ipcc-openapi-'));
    try {
      const file = path.join(dir, 'openapi.json');
      writeFileSync(file, JSON.stringify(doc));
      const bin = path.join(ROOT, 'node_modules/.bin/redocly');
      const args = ['lint', file, '--config', path.join(ROOT, 'redocly.yaml'), '--format=json'];
      // redocly exits 1 on errors; the report on stdout says what they are either way.
      const out = await promisify(execFile)(bin, args, { cwd: ROOT }).catch((err: { stdout?: string }) => ({
        stdout: err.stdout ?? '',
      }));
      const report = JSON.parse(out.stdout) as {
        totals: { errors: number; warnings: number };
        problems: { ruleId: string; message: string }[];
      };
      expect(report.problems.map((p) => `${p.ruleId}: ${p.message}`)).to.deep.equal([]);
      expect(report.totals).to.include({ errors: 0, warnings: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('answers derived from a route', () => {
    const route = (over: Partial<RouteFacts>): RouteFacts => ({
      method: 'GET',
      path: '/api/v1/x',
      authenticated: true,
      scoped: true,
      validates: false,
      hasPayload: false,
      hasResponseSchema: false,
      declared: {},
      ...over,
    });

    it('a plain authenticated read: 401, 403 and the server errors', () => {
      expect(errorStatuses(route({}))).to.deep.equal([401, 403, 500, 503]);
    });

    it('an open route with a body and declared limits', () => {
      const open = route({
        method: 'POST',
        authenticated: false,
        scoped: false,
        hasPayload: true,
        validates: true,
        declared: { errors: [429, 403] },
      });
      expect(errorStatuses(open)).to.deep.equal([400, 403, 413, 415, 429, 500, 503]);
    });

    it('a record path answers 404; a declared 204 replaces the default success', () => {
      const del = route({
        method: 'DELETE',
        path: '/api/v1/x/{id}',
        validates: true,
        declared: { success: 204 },
      });
      expect(Object.keys(responsesOf(del))).to.deep.equal(['204', '400', '401', '403', '404', '500', '503']);
      expect(Object.keys(responsesOf(route({ hasResponseSchema: true })))).to.not.include('200');
    });
  });
});
