import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { MongoClient } from 'mongodb';
import { EXCHANGES } from '../../lib/bus/topology';
import { BusObserver, eventually } from '../support/bus-observer';
import { expect } from '../support/chai';
import { mongoUri, requireSystem } from '../support/servers';
import { sipp } from '../support/sipp';
import { LONG, params } from './support/fuzz';
import { classifySippRun } from './support/sip-outcome';

/**
 * Hostile caller data from SIP: caller names and numbers with quotes, control characters, markup,
 * SQL/NoSQL injection text and long values, sent by sipp in the From header (uac-audio.xml, `-set`) to
 * called number 100 (the IVR). A call is either handled, or refused by Asterisk with a SIP error for a
 * header it cannot parse (the INVITE's final response in sipp's message trace is 4xx-6xx), or unanswered
 * (Asterisk dropped the INVITE: sipp received nothing); nothing crashes, and when handled, CallDelivered and the stored interaction hold
 * the caller's number and name as text. Each value carries a unique digit tag to find its call.
 * Calls: FUZZ_SIP_CALLS (default 30; long form 300), FUZZ_SIP_PARALLEL (default 6, at most 90) at a
 * time on local ports 5500-5589.
 */
const CALLS = Number(process.env.FUZZ_SIP_CALLS ?? (LONG ? 300 : 30));
const PARALLEL = Math.min(90, Math.max(1, Number(process.env.FUZZ_SIP_PARALLEL ?? 6)));
const RUN_DIR = process.env.IPCC_RUN ?? path.resolve(__dirname, '..', '..', '.run');

/** What sipp can send in a quoted display name and a URI user part: printable, no CR/LF or NUL. */
const nameText = fc.oneof(
  fc.constantFrom(
    '<script>alert(1)</script>',
    '"><img src=x onerror=alert(1)>',
    "Robert'); DROP TABLE customers;--",
    "' OR '1'='1",
    '{"$gt":""}',
    '{"$where":"sleep(100)"}',
    '$ne',
    '__proto__',
    'constructor',
    'O\\"Brien',
    'quote " inside',
    'back\\slash',
    'tab\there',
    'bell\u0007esc\u001b',
    'del\u007f',
    '\u00e9\u00e8\u00fc \u4e2d\u6587 \ud83d\ude00',
    '\u202eevil',
    '%00%0d%0a',
    '${jndi:ldap://x}',
    '',
  ),
  fc.string({
    unit: fc.constantFrom(
      'a',
      'Z',
      ' ',
      '"',
      "'",
      '<',
      '>',
      '&',
      '\\',
      ';',
      '$',
      '{',
      '}',
      '%',
      '\t',
      '\u0001',
      '\u00e9',
    ),
    maxLength: 40,
  }),
  // Asterisk truncates long display names, so the tag goes first.
  fc.integer({ min: 100, max: 1000 }).map((n) => 'L'.repeat(n)),
);
const numberText = fc.oneof(
  { weight: 3, arbitrary: fc.stringMatching(/^\+?[0-9]{0,12}$/) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "1'OR'1'='1",
      '$gt',
      '<script>',
      '+33%2000',
      '1;drop',
      'abc',
      '*#',
      '"1"',
      '1\\2',
      '%00',
      '__proto__',
    ),
  },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 300 }).map((n) => '9'.repeat(n)) },
);

let tagSeq = 0;
function tag(): string {
  tagSeq += 1;
  return `7${(Date.now() % 1e6).toString().padStart(6, '0')}${tagSeq.toString().padStart(4, '0')}`;
}

function pidsDead(): string[] {
  const dead: string[] = [];
  for (const f of readdirSync(path.join(RUN_DIR, 'pids'))) {
    const pid = Number(readFileSync(path.join(RUN_DIR, 'pids', f), 'utf8').trim());
    try {
      process.kill(pid, 0);
    } catch {
      dead.push(f);
    }
  }
  return dead;
}

describe('fuzz: hostile SIP caller names and numbers (sipp From header)', function () {
  this.timeout(60_000 + CALLS * 4_000);
  const bus = new BusObserver();
  let mongo: MongoClient;
  const outcome = { handled: 0, refused: 0, unanswered: 0, exactName: 0 };
  /** Refusals per final status code, e.g. {"400": 12}. */
  const refusedBy = new Map<number, number>();
  /** The first unanswered calls' data, printed so that a reader can see what Asterisk dropped. */
  const unansweredSamples: string[] = [];
  const traceDir = mkdtempSync(path.join(tmpdir(), 'ipcc-fuzz-sip-'));

  before(async () => {
    await requireSystem(['rabbitmq', 'asterisk', 'docstore', 'softacd', 'ivr', 'cti']);
    await bus.start([EXCHANGES.events]);
    mongo = new MongoClient(mongoUri(), { serverSelectionTimeoutMS: 3000 });
  });
  after(async () => {
    const codes = [...refusedBy].map(([code, n]) => `${n} x ${code}`).join(', ') || 'none';
    console.log(
      `      SIP calls: ${outcome.handled} handled, ${outcome.refused} refused with a SIP error (${codes}), ${outcome.unanswered} unanswered, ${outcome.exactName} names delivered byte for byte`,
    );
    for (const u of unansweredSamples) console.log(`      unanswered: ${u.slice(0, 300)}`);
    rmSync(traceDir, { recursive: true, force: true });
    await bus.stop();
    await mongo.close();
  });

  async function oneCall(name: string, number: string, port: number): Promise<void> {
    const t = tag();
    const caller = `${number}${t}`;
    const callerName = `${t}${name}`;
    const trace = path.join(traceDir, `${t}.log`);
    const run = await sipp('uac-audio.xml', {
      service: '100',
      localPort: port,
      holdMs: 600,
      // An INVITE Asterisk cannot parse gets no answer at all: give up after 6 s, not 30.
      extra: ['-timeout', '6s', '-trace_msg', '-message_file', trace],
      vars: { caller, caller_name: callerName },
    });
    const said = `caller=${JSON.stringify(caller)} name=${JSON.stringify(callerName)}`;
    let messages = '';
    try {
      messages = readFileSync(trace, 'utf8');
    } catch {
      // No trace file: sipp sent and received nothing, which classifySippRun reads as such.
    }
    rmSync(trace, { force: true });
    const result = classifySippRun(run.code, messages);
    if (result.kind === 'failed') {
      expect.fail(
        `${result.why} for ${said}:\n${messages.slice(-1500)}\n${run.stdout.slice(-800)}\n${run.stderr}`,
      );
    }
    if (result.kind === 'refused') {
      outcome.refused += 1;
      refusedBy.set(result.status, (refusedBy.get(result.status) ?? 0) + 1);
      return;
    }
    if (result.kind === 'unanswered') {
      outcome.unanswered += 1;
      if (unansweredSamples.length < 3) unansweredSamples.push(said);
      return;
    }
    outcome.handled += 1;
    const delivered = await eventually(`CallDelivered for ${said}`, () =>
      bus.seen.find(
        (s) =>
          s.body?.type === 'CallDelivered' &&
          (String(s.body.callingNumber).includes(t) || String(s.body.callingName).includes(t)),
      ),
    );
    const { callingNumber, callingName, contactId } = delivered.body;
    expect(callingNumber, said).to.be.a('string');
    expect(callingName, said).to.be.a('string');
    if (callingName === callerName) outcome.exactName += 1;
    await eventually(`ConnectionCleared for ${said}`, () =>
      bus.seen.some((s) => s.body?.contactId === contactId && s.body.type === 'ConnectionCleared'),
    );
    const doc = await eventually(`interaction stored for ${said}`, async () => {
      const d = await mongo
        .db()
        .collection<{ _id: string; from?: unknown }>('interactions')
        .findOne({ _id: String(contactId) });
      return d ?? undefined;
    });
    expect(doc.from, `stored from for ${said}`).to.be.a('string').and.equal(callingNumber);
  }

  it(`${CALLS} calls with hostile caller data: handled, refused with a SIP error or unanswered, stored as text, nothing crashes`, async () => {
    const call = fc.record({ name: nameText, number: numberText });
    await fc.assert(
      fc.asyncProperty(fc.array(call, { minLength: PARALLEL, maxLength: PARALLEL }), async (batch) => {
        await Promise.all(batch.map(({ name, number }, i) => oneCall(name, number, 5500 + i)));
      }),
      params(Math.ceil(CALLS / PARALLEL)),
    );
    expect(pidsDead(), 'processes that died').to.deep.equal([]);
    expect(outcome.handled, 'calls handled').to.be.greaterThan(0);
  });
});
