import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import winston from 'winston';
import { expect } from '../../support/chai';
import { CONTENT_SECURITY_POLICY, pagePolicy } from '../../../as/http/security-headers';
import { createServer } from '../../../as/server';
import { body, desktopSettings, SECRET, setUp, tearDown, type Fixture } from './fixture';

/**
 * The pages (issue 11): /agent/ (the desktop) and /call/<number> (the customer's web call page) from the
 * UI build, with a policy of their own; 503 until the build exists.
 */
describe('AS pages: /agent/ and /call/{number} from the UI build (integration)', () => {
  let f: Fixture;
  let tmp: string;
  let dist: string;
  before(async () => {
    f = await setUp();
    tmp = await mkdtemp(path.join(tmpdir(), 'ipcc-pages-'));
    dist = path.join(tmp, 'dist');
    // Beside the build, never served.
    await writeFile(path.join(tmp, 'secret.txt'), 'not for browsers');
  });
  after(async () => {
    await tearDown(f);
    await rm(tmp, { recursive: true, force: true });
  });

  const pagesServer = async () => {
    const server = await createServer({
      log: winston.createLogger({ silent: true }),
      tokenSecret: SECRET,
      desktop: desktopSettings({ pagesDir: dist }),
    });
    await server.initialize();
    return server;
  };
  const POLICY = pagePolicy(['ws://127.0.0.1:8091', 'ws://127.0.0.1:8088/ws']);

  it('503 with what to do while the UI is not built', async () => {
    for (const url of ['/agent/', '/call/100', '/agent/assets/agent-ABCDEFGH.js']) {
      const res = await f.server.inject(url);
      expect(res.statusCode, url).to.equal(503);
      expect(body(res).message, url).to.match(
        /^the agent pages are not built yet .*agent-ui\/dist.*build agent-ui/,
      );
      expect(res.headers['content-security-policy']).to.equal(CONTENT_SECURITY_POLICY);
    }
    // The server's own path is not in a public answer.
    expect((await f.server.inject('/agent/')).payload).not.to.include('/nonexistent/');
  });

  it('serves the build once it appears, without a restart: the pages, their assets and policy', async () => {
    const server = await pagesServer();
    try {
      expect((await server.inject('/agent/')).statusCode).to.equal(503);
      await mkdir(path.join(dist, 'assets'), { recursive: true });
      await writeFile(path.join(dist, 'agent.html'), '<!doctype html><title>Agent desktop</title>');
      // A build with the desktop but not yet the call page: the call page still says so.
      expect((await server.inject('/call/100')).statusCode).to.equal(503);
      await writeFile(path.join(dist, 'call.html'), '<!doctype html><title>Video call</title>');
      await writeFile(path.join(dist, 'assets', 'agent-ABCDEFGH.js'), 'console.log(1)');
      await writeFile(path.join(dist, 'call-QRSTUV12.js'), 'console.log(2)');
      await writeFile(path.join(dist, 'ring.wav'), 'RIFF');

      const page = await server.inject('/agent/');
      expect(page.statusCode).to.equal(200);
      expect(page.payload).to.include('<title>Agent desktop</title>');
      expect(page.headers['content-type']).to.match(/^text\/html/);
      expect(page.headers['cache-control']).to.equal('no-store');
      expect(page.headers['content-security-policy']).to.equal(POLICY);
      expect(page.headers['x-content-type-options']).to.equal('nosniff');
      expect(page.headers['x-frame-options']).to.equal('DENY');
      expect(page.headers['permissions-policy']).to.include('camera=(self)');

      const call = await server.inject('/call/100');
      expect(call.statusCode).to.equal(200);
      expect(call.payload).to.include('<title>Video call</title>');
      expect(call.headers['cache-control']).to.equal('no-store');
      expect(call.headers['content-security-policy']).to.equal(POLICY);

      const hashed = await server.inject('/agent/assets/agent-ABCDEFGH.js');
      expect(hashed.statusCode).to.equal(200);
      expect(hashed.payload).to.equal('console.log(1)');
      expect(hashed.headers['content-type']).to.match(/javascript/);
      expect(hashed.headers['cache-control']).to.equal('public, max-age=31536000, immutable');
      const beside = await server.inject('/call/call-QRSTUV12.js');
      expect(beside.statusCode).to.equal(200);
      expect(beside.headers['cache-control']).to.equal('public, max-age=31536000, immutable');
      const plain = await server.inject('/agent/ring.wav');
      expect(plain.statusCode).to.equal(200);
      expect(plain.headers['cache-control']).to.equal('no-cache');

      // /agent without the slash would resolve the page's relative assets against /.
      const bare = await server.inject('/agent');
      expect(bare.statusCode).to.equal(302);
      expect(bare.headers.location).to.equal('/agent/');

      expect((await server.inject('/agent/nothing.js')).statusCode).to.equal(404);
      for (const url of ['/agent/%2e%2e/secret.txt', '/agent/..%2fsecret.txt', '/call/..%2fsecret.txt']) {
        const res = await server.inject(url);
        expect(res.statusCode, url).to.be.oneOf([403, 404]);
        expect(res.payload, url).not.to.include('not for browsers');
      }
      // The API keeps its own strict policy.
      const api = await server.inject('/openapi.json');
      expect(api.headers['content-security-policy']).to.equal(CONTENT_SECURITY_POLICY);
      expect(api.headers['cache-control']).to.equal('no-store');
    } finally {
      await server.stop();
    }
  });

  it("the pages' policy: own scripts only, the two WebSockets, media from blobs, images from data and http(s)", () => {
    const directives = new Map(
      POLICY.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')] as const),
    );
    expect(directives.get('default-src')).to.equal("'none'");
    expect(directives.get('script-src')).to.equal("'self'");
    expect(directives.get('connect-src')).to.equal("'self' ws://127.0.0.1:8091 ws://127.0.0.1:8088/ws");
    expect(directives.get('media-src')).to.equal("'self' blob:");
    // Remote images for the inbox's mail frame, which holds them back by its own policy until asked.
    expect(directives.get('img-src')).to.equal("'self' data: http: https:");
    expect(directives.get('frame-ancestors')).to.equal("'none'");
    expect(POLICY).not.to.match(/unsafe-eval|script-src[^;]*unsafe-inline/);
  });

  it('the pages are not API routes: not in the OpenAPI description', async () => {
    const doc = body<{ paths: Record<string, unknown> }>(await f.server.inject('/openapi.json'));
    expect(Object.keys(doc.paths).filter((p) => !p.startsWith('/api/'))).to.deep.equal([]);
  });
});
