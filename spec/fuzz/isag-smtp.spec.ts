import fc from 'fast-check';
import { expect } from '../support/chai';
import { params, runs, timeoutFor } from './support/fuzz';
import { hostileAddress, hostileMail } from './support/isag-mime';
import { SmtpWire, isReply, smtpSession, type SmtpSession } from './support/isag-smtp-wire';
import { isagSuite, smtpHost, smtpPort } from './support/isag-watch';

/**
 * Hostile e-mail on ISAG's SMTP server (issue 14, "Durability and bad input"): malformed MIME, 8-bit
 * garbage, header injection, huge headers, nested multiparts, base64 that does not decode, zip-like
 * attachments, hostile envelope addresses. Every case goes to an address of the accepted domain that no
 * queue has, so nothing reaches an agent: ISAG stores it in `quarantine` (reason `no queue for ...`).
 * Invariants: every step of every session gets an SMTP reply (a close only after a 4xx/5xx); a message
 * answered 250 is stored exactly once, one refused at most once; afterwards ISAG answers its health
 * probe, still runs under the same pid, logged nothing unhandled, and accepts an ordinary message.
 * Short form: runs(300) cases; long form: FUZZ_RUNS=10000 (`npm run fuzz:isag`).
 */
const CASES = runs(300);
const PARALLEL = 10;
const NOBODY = 'fuzz-nobody@ipcc.local';
const RUN = `fz${Date.now().toString(36)}`;
let seq = 0;
const nextMarker = () => `${RUN}-${++seq}`;

interface Case {
  marker: string;
  from: string;
  to: string[];
  message: Buffer;
}

/** A marker per case, drawn inside the arbitrary so each generated case (and each shrink) has its own. */
const smtpCase: fc.Arbitrary<Case> = fc
  .tuple(
    fc.constant(null).map(() => nextMarker()),
    fc.nat(99),
  )
  .chain(([marker, roll]) =>
    fc
      .tuple(
        hostileMail(marker, NOBODY),
        roll < 85 ? fc.constant(`${marker}@customer.test`) : hostileAddress,
        roll < 90
          ? fc.constant<string[]>([NOBODY])
          : fc.array(hostileAddress, { minLength: 1, maxLength: 3 }),
      )
      .map(([message, from, to]) => ({ marker, from, to, message })),
  );

/** Every step answered: a reply, or the close that follows a refusal; never silence. */
function undefinedAnswer(s: SmtpSession): string | undefined {
  let last = 0;
  for (const { step, answer } of s.steps) {
    if ('timeout' in answer) return `${step}: no answer in time`;
    if ('closed' in answer) {
      if (step === 'QUIT' || last >= 400) return undefined;
      return `${step}: connection closed with no reply (last code ${last})`;
    }
    if (!isReply(answer) || answer.code < 200 || answer.code > 599) return `${step}: not a reply code`;
    last = answer.code;
  }
  return undefined;
}

describe('fuzz: hostile e-mail on the ISAG SMTP server', function () {
  this.timeout(timeoutFor(CASES, 200));
  const isag = isagSuite();
  const since = new Date();
  const accepted: string[] = [];
  const refused: string[] = [];
  const codes = new Map<string, number>();

  after(() => {
    const byCode = [...codes].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, n]) => `${k}: ${n}`);
    console.log(
      `      SMTP cases: ${accepted.length} accepted, ${refused.length} refused (${byCode.join(', ')})`,
    );
  });

  it(`${CASES} hostile sessions: each step answered, accepted ones stored once, refused ones at most once`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(smtpCase, { minLength: PARALLEL, maxLength: PARALLEL }), async (batch) => {
        const batchStart = new Date(Date.now() - 2000);
        const sessions = await Promise.all(
          batch.map((c) =>
            smtpSession(smtpHost(), smtpPort(), { helo: 'fuzz.test', from: c.from, to: c.to }, c.message),
          ),
        );
        const counts = await isag.stored.counts(
          batch.map((c) => c.marker),
          batchStart,
        );
        await isag.stored.remove();
        sessions.forEach((s, i) => {
          const c = batch[i] as Case;
          const said = `${c.marker}: ${JSON.stringify(s.steps).slice(0, 600)}`;
          expect(undefinedAnswer(s), said).to.equal(undefined);
          const last = s.steps.filter((x) => x.step !== 'QUIT').at(-1);
          const key = `${last?.step} ${last !== undefined && isReply(last.answer) ? last.answer.code : 'closed'}`;
          codes.set(key, (codes.get(key) ?? 0) + 1);
          (s.accepted ? accepted : refused).push(c.marker);
          const n = counts.get(c.marker) ?? 0;
          if (s.accepted) expect(n, `accepted, stored ${n} times: ${said}`).to.equal(1);
          else expect(n, `refused, stored ${n} times: ${said}`).to.be.at.most(1);
        });
      }),
      params(Math.ceil(CASES / PARALLEL)),
    );
  });

  it('a 50 MB message is refused with 552 (the limit is 30 MB) and the connection answered', async () => {
    const marker = nextMarker();
    const line = `${'x'.repeat(998)}\r\n`;
    const big = Buffer.from(
      `X-Fuzz-Marker: ${marker}\r\nSubject: ${marker}\r\n\r\n${line.repeat(50 * 1050)}`,
      'latin1',
    );
    const s = await smtpSession(
      smtpHost(),
      smtpPort(),
      { helo: 'fuzz.test', from: `${marker}@customer.test`, to: [NOBODY] },
      big,
      { dataTimeoutMs: 120_000 },
    );
    const end = s.steps.find((x) => x.step === 'end of data');
    expect(
      end !== undefined && isReply(end.answer) ? end.answer.code : end,
      JSON.stringify(s.steps),
    ).to.equal(552);
    expect((await isag.stored.counts([marker], since)).get(marker), 'stored').to.be.at.most(1);
  });

  it('commands out of order, malformed or not offered each get a 5xx reply on an open connection', async () => {
    const wire = await SmtpWire.connect(smtpHost(), smtpPort());
    try {
      expect(await wire.next()).to.deep.include({ code: 220 });
      const lines = [
        'HELO',
        'MAIL',
        'RCPT TO:<x@y>',
        'DATA',
        '\u0000\u0001',
        'X'.repeat(600),
        'BDAT 10 LAST',
        'AUTH PLAIN ====',
        'EXPN all',
      ];
      for (const l of lines) {
        const answer = await wire.command(l);
        expect(isReply(answer) ? answer.code : answer, JSON.stringify(l.slice(0, 40))).to.be.within(500, 599);
      }
    } finally {
      wire.destroy();
    }
  });

  it('afterwards: ISAG ready, same process, nothing unhandled in its logs, an ordinary message accepted', async () => {
    expect(await isag.process.problems(), 'ISAG after the suite').to.deep.equal([]);
    const marker = nextMarker();
    const ordinary = Buffer.from(
      `X-Fuzz-Marker: ${marker}\r\nFrom: <${marker}@customer.test>\r\nTo: <${NOBODY}>\r\nSubject: ${marker}\r\n\r\nhello\r\n`,
      'latin1',
    );
    const s = await smtpSession(
      smtpHost(),
      smtpPort(),
      { helo: 'fuzz.test', from: `${marker}@customer.test`, to: [NOBODY] },
      ordinary,
    );
    expect(s.accepted, JSON.stringify(s.steps)).to.equal(true);
    expect((await isag.stored.counts([marker], since)).get(marker)).to.equal(1);
  });
});
