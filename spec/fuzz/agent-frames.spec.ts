import { randomBytes, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import jwt from 'jsonwebtoken';
import WebSocket from 'ws';
import { signToken } from '../../lib/auth-token';
import { parseClientMessage } from '../../cti/agent-gateway/protocol';
import { MAX_FRAME_BYTES } from '../../cti/agent-gateway/ws-server';
import { TestAccounts } from '../support/accounts';
import { expect } from '../support/chai';
import {
  deepJson,
  hostileJsonValue,
  hostileString,
  malformedJson,
  operatorObject,
  params,
  runs,
  timeoutFor,
  LONG,
} from './support/fuzz';

/**
 * Hostile frames on interface A (CTI's agent WebSocket), before and after authentication. Invariants:
 * a frame that is not a valid ClientMessage gets an `error` reply and the connection stays open; a valid
 * action before `auth` and a bad token close with 4401 (the protocol's rule); a frame over 16 KiB closes
 * with 1009; after every case the server still accepts a connection and welcomes a valid token.
 * The authenticated identity is an account made for this suite (no real agent is touched): CTI refuses
 * a token whose subject has no account.
 */
const CASES = runs(300);
const BATCH = 10;
/**
 * Frames per connection: CTI limits each connection to bursts of 40 frames, then 20 a second (refusing
 * the excess, then closing). This suite is about what frames do, so it opens a new connection before it
 * would reach that; the limit has its own test (spec/integration/agent-gateway-access.spec.ts).
 */
const FRAMES_PER_CONNECTION = 30;
const url = () => `ws://${process.env.CTI_WS_HOST ?? '127.0.0.1'}:${process.env.CTI_WS_PORT ?? '8091'}`;

interface Reply {
  type: string;
  code?: string;
}

class Conn {
  readonly replies: Reply[] = [];
  closed?: { code: number; reason: string };
  private waiters: Array<() => void> = [];
  constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      this.replies.push(JSON.parse(data.toString('utf8')) as Reply);
      this.wake();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
    ws.on('error', () => undefined);
  }
  static async open(): Promise<Conn> {
    const ws = new WebSocket(url());
    const c = new Conn(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return c;
  }
  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
  /** Resolves when `done()` holds, or rejects after `ms`. */
  async until(what: string, done: () => boolean, ms = 5000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!done()) {
      if (Date.now() > deadline)
        throw new Error(
          `timed out waiting for ${what}; replies ${JSON.stringify(this.replies.slice(-3))}, closed ${JSON.stringify(this.closed)}`,
        );
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 100).unref();
      });
    }
  }
  close(): void {
    this.ws.close();
  }
}

const secret = () => {
  const s = process.env.AUTH_TOKEN_SECRET;
  if (!s) throw new Error('AUTH_TOKEN_SECRET not set (source .run/secrets.env)');
  return s;
};
const fakeAgent = () => `fuzz-agent-${randomUUID()}`;
const accounts = new TestAccounts();
/** The suite's own account (made in `before`). */
let agent = '';
const agentToken = () => signToken({ sub: agent, roles: ['agent'] }, secret()).token;

/** Frames that are not a valid ClientMessage: each must get an error reply on an open connection. */
const badFrame: fc.Arbitrary<string> = fc
  .oneof(
    malformedJson,
    hostileString.filter((s) => Buffer.byteLength(s) < 16_000),
    hostileJsonValue.map((v) => JSON.stringify(v) ?? 'null'),
    deepJson.filter((s) => s.length < 16_000),
    fc.constantFrom(
      '{"type":"__proto__"}',
      '{"__proto__":{"type":"login"}}',
      '{"type":"login","__proto__":{"x":1}}',
      '{"type":"constructor"}',
    ),
    fc
      .record({
        type: fc.constantFrom('login', 'ready', 'not-ready', 'answer', 'hangup', 'logout', 'auth'),
        extra: hostileJsonValue,
      })
      .map((o) => JSON.stringify(o)),
    fc
      .record({
        type: fc.constantFrom('answer', 'hangup'),
        contactId: fc.oneof(operatorObject, fc.integer(), fc.constant(''), fc.constant('x'.repeat(200))),
      })
      .map((o) => JSON.stringify(o)),
    fc
      .record({
        type: fc.constant('not-ready'),
        reason: fc.oneof(operatorObject, fc.constant(''), fc.constant('r'.repeat(65)), fc.integer()),
      })
      .map((o) => JSON.stringify(o)),
    fc
      .record({
        type: fc.constant('auth'),
        token: fc.oneof(operatorObject, fc.constant(''), fc.integer(), fc.constant('t'.repeat(4097))),
      })
      .map((o) => JSON.stringify(o)),
    fc.record({ type: fc.oneof(hostileString, operatorObject, fc.integer()) }).map((o) => JSON.stringify(o)),
  )
  .filter((s) => Buffer.byteLength(s) < 16_000 && !isValidClientMessage(s));

/** Keeps valid frames out of the "bad" set (the protocol's own parser decides). */
function isValidClientMessage(s: string): boolean {
  return parseClientMessage(s).ok;
}

/** Tokens that must be refused: forged, expired, wrong audience, `none`, non-agent roles, garbage. */
function badToken(): fc.Arbitrary<string> {
  const other = randomBytes(32).toString('hex');
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub: fakeAgent(), roles: ['agent'], iss: 'ipcc-as', aud: 'ipcc' };
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return fc.oneof(
    fc.constantFrom(
      jwt.sign(claims, other),
      jwt.sign({ ...claims, exp: now - 60 }, secret()),
      jwt.sign({ ...claims, aud: 'x' }, secret()),
      jwt.sign({ ...claims, roles: ['root'] }, secret()),
      jwt.sign({ ...claims, roles: { $ne: null } }, secret()),
      jwt.sign({ ...claims, sub: '' }, secret()),
      `${b64({ alg: 'none' })}.${b64(claims)}.`,
      signToken({ sub: fakeAgent(), roles: ['ivr'] }, secret()).token,
      // No account behind the subject; no expiry; a lifetime over the maximum (1 h).
      signToken({ sub: fakeAgent(), roles: ['agent'] }, secret()).token,
      signToken({ sub: '0123456789abcdef01234567', roles: ['agent'] }, secret()).token,
      jwt.sign(claims, secret()),
      jwt.sign({ ...claims, exp: now + 86_400 }, secret()),
    ),
    hostileString.filter((s) => s.length >= 1 && s.length <= 4096),
  );
}

/** Valid actions: before auth they close the connection (4401); after auth they get a reply. */
const action = fc.oneof(
  fc.constant({ type: 'login' }),
  fc.constant({ type: 'logout' }),
  fc.constant({ type: 'ready' }),
  fc.record({
    type: fc.constant('not-ready'),
    reason: hostileString.filter((s) => s.length >= 1 && s.length <= 64),
  }),
  fc.record({
    type: fc.constantFrom('answer', 'hangup'),
    contactId: hostileString.filter((s) => s.length >= 1 && s.length <= 128),
  }),
);

async function serverStillWelcomes(): Promise<void> {
  const c = await Conn.open();
  try {
    c.ws.send(JSON.stringify({ type: 'auth', token: agentToken() }));
    await c.until('welcome', () => c.replies.some((r) => r.type === 'welcome'));
  } finally {
    c.close();
  }
}

describe('fuzz: interface A frames (CTI agent WebSocket)', function () {
  this.timeout(timeoutFor(CASES, LONG ? 10 : 100));
  before(async () => {
    agent = await accounts.create();
  });
  after(async () => accounts.removeAll());

  it(`before auth: ${CASES} malformed frames each get an error reply, connection stays open`, async () => {
    let c = await Conn.open();
    let sent = 0;
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(badFrame, { minLength: BATCH, maxLength: BATCH }), async (frames) => {
          if (sent + frames.length > FRAMES_PER_CONNECTION) {
            c.close();
            c = await Conn.open();
            sent = 0;
          }
          sent += frames.length;
          const before = c.replies.length;
          for (const f of frames) c.ws.send(f);
          await c.until(
            'an error reply per frame',
            () => c.replies.length >= before + frames.length || c.closed !== undefined,
          );
          expect(c.closed, `closed after ${JSON.stringify(frames).slice(0, 500)}`).to.equal(undefined);
          expect(
            c.replies.slice(before).every((r) => r.type === 'error' && r.code === 'bad_message'),
          ).to.equal(true);
        }),
        params(Math.ceil(CASES / BATCH)),
      );
    } finally {
      c.close();
    }
    await serverStillWelcomes();
  });

  it(`after auth (an account of this suite's): ${CASES} malformed frames and actions get replies, connection stays open`, async () => {
    const authenticated = async () => {
      const conn = await Conn.open();
      conn.ws.send(JSON.stringify({ type: 'auth', token: agentToken() }));
      await conn.until('welcome', () => conn.replies.some((r) => r.type === 'welcome'));
      return conn;
    };
    let c = await authenticated();
    let sent = 1;
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.oneof(
              { weight: 3, arbitrary: badFrame.map((f) => ({ f, bad: true })) },
              { weight: 1, arbitrary: action.map((a) => ({ f: JSON.stringify(a), bad: false })) },
            ),
            { minLength: BATCH, maxLength: BATCH },
          ),
          async (frames) => {
            if (sent + frames.length > FRAMES_PER_CONNECTION) {
              c.close();
              c = await authenticated();
              sent = 1;
            }
            sent += frames.length;
            const before = c.replies.length;
            const bad = frames.filter((x) => x.bad).length;
            for (const { f } of frames) c.ws.send(f);
            await c.until(
              'an error reply per malformed frame',
              () =>
                c.replies.slice(before).filter((r) => r.code === 'bad_message').length >= bad ||
                c.closed !== undefined,
            );
            // Actions answer with a state push or an error (an unknown agent, someone else's contact).
            await new Promise((r) => setTimeout(r, 20));
            expect(c.closed, `closed after ${JSON.stringify(frames).slice(0, 500)}`).to.equal(undefined);
          },
        ),
        params(Math.ceil(CASES / BATCH)),
      );
    } finally {
      c.close();
    }
    await serverStillWelcomes();
  });

  it(`${Math.ceil(CASES / 5)} bad tokens and pre-auth actions close with 4401; oversized frames with 1009; the server stays up`, async () => {
    // A hostile token of 4,096 lone surrogates is 24 KiB once JSON escapes them (\ud800 is 6 bytes):
    // such a frame is over the frame limit, and the size rule (1009) comes before the token's (4401).
    const badAuth = (t: string) => {
      const frame = JSON.stringify({ type: 'auth', token: t });
      return { frame, code: Buffer.byteLength(frame) > MAX_FRAME_BYTES ? 1009 : 4401 };
    };
    const kind = fc.oneof(
      badToken().map(badAuth),
      action.map((a) => ({ frame: JSON.stringify(a), code: 4401 })),
      fc
        .integer({ min: MAX_FRAME_BYTES + 1, max: 200_000 })
        .map((n) => ({ frame: JSON.stringify({ type: 'auth', token: 'x'.repeat(n) }), code: 1009 })),
    );
    await fc.assert(
      fc.asyncProperty(kind, async ({ frame, code }) => {
        const c = await Conn.open();
        c.ws.send(frame);
        await c.until(`close ${code}`, () => c.closed !== undefined);
        expect(c.closed?.code, frame.slice(0, 200)).to.equal(code);
      }),
      params(Math.ceil(CASES / 5)),
    );
    await serverStillWelcomes();
  });
});
