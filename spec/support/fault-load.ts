import { setMaxListeners } from 'node:events';
import { MongoClient } from 'mongodb';
import { EXCHANGES } from '../../lib/bus/topology';
import { AgentClient } from './agent-client';
import { agentEvents, agentIdOf, registerPhone } from './agents';
import { AriObserver, ari, leftInAsterisk } from './ari';
import { eventually } from './bus-observer';
import { DurableBusObserver, type Observed } from './fault-bus';
import { type Fault, inject, secondsToRecover } from './faults';
import { mongoUri } from './servers';
import { type SippRun, sipp } from './sipp';

/**
 * A steady load with calls in every stage (talking, ringing, queued, in the IVR), one fault injected
 * in the middle of it, and what became of every call, event and agent. Shared by the short form (CI,
 * spec/fault) and the long form (scripts/fault.ts).
 *
 * The demo tenant has four agents: 1001 (sales) talks, 1003 (support) rings, 1002 and 1004 are signed
 * out, so callers to 200 (sales) and 201 (support) wait in their queues; IVR callers (number 100) press
 * 2 after a while and join the support queue. After the recovery, 1002 and 1004 sign in and take the
 * two best-ranked waiting callers. The suite ends every call itself (the caller's channel is hung up
 * through ARI, as when the caller hangs up), so a caller's BYE before that moment is a dropped call.
 */

export interface LoadSize {
  /** Callers waiting in each of the two queues when the fault hits. */
  queuedPerQueue: number;
  /** Callers in the IVR menu when the fault hits. */
  ivrCallers: number;
  /** How long the ringing agent's phone rings before it answers (the queue's ring time is 20 s). */
  ringMs: number;
  /** How long after answering an IVR caller starts pressing 2 (then every 2.5 s until it is queued). */
  keyDelayMs: number;
}

export const SHORT_LOAD: LoadSize = { queuedPerQueue: 1, ivrCallers: 1, ringMs: 9_000, keyDelayMs: 4_000 };

type Stage = 'talking' | 'ringing' | 'queued' | 'ivr';

interface Call {
  label: string;
  stage: Stage;
  number: string;
  run: Promise<SippRun>;
  result?: SippRun;
  endedAt?: number;
  contactId: string;
  channelId: string;
}

interface Phone {
  login: string;
  run: Promise<SippRun>;
  result?: SippRun;
}

export interface StageOutcome {
  total: number;
  /** Calls that carried on (talking: not dropped; others: reached their next step after the fault). */
  ok: number;
  /** What went wrong for each call that did not, for the report. */
  problems: string[];
}

export interface RoundOutcome {
  fault: Fault | 'none';
  round: number;
  recoverySec: number;
  talking: StageOutcome;
  ringing: StageOutcome;
  queued: StageOutcome;
  ivr: StageOutcome;
  /** Calls in conversation (talking) that the system hung up before the test did. */
  dropped: number;
  /** Expected events missing on the bus or in a contact's stored timeline. */
  lost: string[];
  /** Events seen more than once (same message id, or a once-per-call event twice). */
  duplicated: string[];
  /** Agents whose stored (AS) state or last CTI push differs from what their phone was doing. */
  agentStates: string[];
  /** Channels or bridges left in Asterisk after every call was over. */
  leftInAsterisk: number;
  /** sipp runs that failed (exit code not 0): a protocol error on a phone or caller. */
  sippFailures: string[];
  /** Set when the round itself could not be run to its end (its load not built, a fault not injected). */
  error?: string;
}

const LOGINS = ['1001', '1002', '1003', '1004'] as const;
type Login = (typeof LOGINS)[number];
const PHONE_PORT: Record<Login, number> = { '1001': 5701, '1002': 5702, '1003': 5703, '1004': 5704 };
const CALLER_PORT = 5710;
const MEDIA_PORT = 18000;

/** ARI's event time (`2026-11-25T10:50:01.123+0000`) in ms since the epoch. */
const ariTime = (t: unknown) => Date.parse(String(t).replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Hangs up a channel as its caller would; a channel already gone is an ordinary answer. */
async function hangUp(channelId: string): Promise<void> {
  const base = process.env.ARI_URL ?? 'http://127.0.0.1:8088';
  const auth =
    'Basic ' + Buffer.from(`${process.env.ARI_USER}:${process.env.ARI_PASSWORD}`).toString('base64');
  const res = await fetch(`${base}/ari/channels/${encodeURIComponent(channelId)}?reason=normal`, {
    method: 'DELETE',
    headers: { authorization: auth },
  });
  if (!res.ok && res.status !== 404) throw new Error(`ARI hang-up ${channelId}: ${res.status}`);
}

/**
 * An agent's current state as stored by CTI: its latest row in `agentstates`, the collection the AS
 * reports from (`GET /api/v1/agents/{id}/states`). Never-changed agents read as logged out.
 */
async function storedState(agentId: string): Promise<string> {
  const mongo = new MongoClient(mongoUri(), { serverSelectionTimeoutMS: 3000 });
  try {
    const row = await mongo.db().collection('agentstates').find({ agentId }).sort({ at: -1 }).limit(1).next();
    return row === null ? 'logged-out' : String(row.state);
  } finally {
    await mongo.close();
  }
}

export class FaultLoad {
  readonly bus = new DurableBusObserver();
  readonly ariEvents = new AriObserver();
  private agentIds = new Map<Login, string>();
  private clients = new Map<Login, AgentClient>();
  private calls: Call[] = [];
  private phones: Phone[] = [];
  private callIndex = 0;
  private abort = new AbortController();

  constructor(private readonly size: LoadSize) {}

  /** Observers up, agents' phones registered, every demo agent signed out. */
  async prepare(): Promise<void> {
    await this.bus.start([EXCHANGES.events, EXCHANGES.commands]);
    await this.ariEvents.start();
    for (const login of LOGINS) {
      this.agentIds.set(login, await agentIdOf(login));
      await registerPhone(`agent${login}`, PHONE_PORT[login]);
    }
    await this.signOutAll();
  }

  async close(): Promise<void> {
    await this.signOutAll().catch(() => undefined);
    for (const c of this.clients.values()) c.close();
    this.ariEvents.stop();
    await this.bus.stop();
  }

  private id(login: Login): string {
    const id = this.agentIds.get(login);
    if (id === undefined) throw new Error(`agent ${login} not prepared`);
    return id;
  }

  /** Every demo agent signed out, as stored (a sign-out CTI refuses is sent again for up to 35 s). */
  async signOutAll(): Promise<void> {
    const deadline = Date.now() + 35_000;
    let left: Login[] = [...LOGINS];
    while (left.length > 0) {
      // Login first: an agent CTI already has logged out (a restarted CTI) would refuse a bare logout
      // and its stored state would stay whatever it was; an agent signed in refuses the login instead.
      for (const login of left) await agentEvents(this.id(login), ['AgentLogin', 'AgentLogout']);
      await sleep(300);
      const states = await Promise.all(left.map((l) => storedState(this.id(l))));
      left = left.filter((_, i) => states[i] !== 'logged-out');
      if (left.length > 0 && Date.now() > deadline)
        throw new Error(`agents not signed out: ${left.join(', ')}`);
      if (left.length > 0) await sleep(2_000);
    }
  }

  /** Each agent's client on interface A, to receive CTI's state pushes (reopened after a CTI restart). */
  private async connectClients(): Promise<void> {
    for (const login of LOGINS) {
      const existing = this.clients.get(login);
      if (existing !== undefined && existing.closed === undefined) continue;
      const client = new AgentClient();
      await client.connect();
      client.send({ type: 'auth', token: AgentClient.tokenFor(this.id(login)) });
      await eventually(`agent ${login} client welcomed`, () => client.of('welcome').length > 0, 5_000);
      this.clients.set(login, client);
    }
  }

  private startPhone(login: Login, ringMs: number): void {
    const phone: Phone = {
      login,
      run: sipp('agent-answer.xml', {
        service: `agent${login}`,
        localPort: PHONE_PORT[login],
        holdMs: ringMs,
        timeoutSec: 170,
        signal: this.abort.signal,
        extra: ['-mp', String(MEDIA_PORT + 900 + Number(login.slice(-1)) * 4)],
      }),
    };
    void phone.run.then((r) => (phone.result = r));
    this.phones.push(phone);
  }

  private startCaller(
    round: number,
    label: string,
    stage: Stage,
    scenario: string,
    service: string,
    holdMs?: number,
  ): Call {
    const i = this.callIndex++;
    const number = `1555${String(round % 1000).padStart(3, '0')}${String(i % 1000).padStart(3, '0')}`;
    const call: Call = {
      label,
      stage,
      number,
      contactId: '',
      channelId: '',
      run: sipp(scenario, {
        service,
        localPort: CALLER_PORT + (i % 80),
        ...(holdMs === undefined ? {} : { holdMs }),
        timeoutSec: 170,
        signal: this.abort.signal,
        vars: { caller: number, caller_name: `Fault ${label}` },
        extra: ['-mp', String(MEDIA_PORT + (i % 200) * 4)],
      }),
    };
    void call.run.then((r) => {
      call.result = r;
      call.endedAt = Date.now();
    });
    this.calls.push(call);
    return call;
  }

  private events(call: Call, type: string): Observed[] {
    return this.bus.forContact(call.contactId).filter((s) => s.body.type === type);
  }

  private async arrived(call: Call): Promise<void> {
    const delivered = await eventually(
      `${call.label} delivered`,
      () =>
        this.bus.seen.find(
          (s) =>
            s.body.type === 'CallDelivered' &&
            s.body.callingNumber === call.number &&
            (s.body.deliveredTo as { kind?: string } | undefined)?.kind === 'acd',
        ),
      20_000,
    ).catch((err: unknown) => {
      // Say what the caller's sipp did: a call that never reached SoftACD is otherwise a guess.
      const r = call.result;
      const sipp =
        r === undefined
          ? 'sipp still running'
          : // stderr first: a fatal start-up error (a port in use) is there, the statistics in stdout.
            `sipp exited ${r.code}: ${(r.stderr.trim() || r.stdout).replace(/\s+/g, ' ').slice(-400)}`;
      throw new Error(`${(err as Error).message} (caller ${call.number}; ${sipp})`);
    });
    call.contactId = String(delivered.body.contactId);
    call.channelId = String(delivered.body.channelId);
  }

  private established(call: Call, after = 0): boolean {
    return this.events(call, 'Established').some((s) => s.receivedAt >= after);
  }

  private heardAfter(call: Call, at: number): boolean {
    return this.ariEvents.events.some(
      (e) =>
        e.type === 'PlaybackStarted' &&
        e.playback?.target_uri === `channel:${call.channelId}` &&
        ariTime(e.timestamp) >= at,
    );
  }

  /** A round that could not be run, for the report. */
  static failedRound(fault: Fault | 'none', round: number, error: string): RoundOutcome {
    const none = (): StageOutcome => ({ total: 0, ok: 0, problems: [] });
    return {
      fault,
      round,
      recoverySec: NaN,
      talking: none(),
      ringing: none(),
      queued: none(),
      ivr: none(),
      dropped: 0,
      lost: [],
      duplicated: [],
      agentStates: [],
      leftInAsterisk: 0,
      sippFailures: [],
      error,
    };
  }

  /**
   * One round: the load built up, `fault` injected (none: a control round), every outcome measured.
   * A round that throws first clears what it started: every channel in Asterisk hung up, every sipp
   * of the round stopped, every agent signed out.
   */
  async round(fault: Fault | null, round: number): Promise<RoundOutcome> {
    this.calls = [];
    this.phones = [];
    this.abort = new AbortController();
    // One listener per sipp of the round (ten and more in the long form).
    setMaxListeners(100, this.abort.signal);
    try {
      return await this.measure(fault, round);
    } catch (err) {
      await this.clearAll();
      throw err;
    }
  }

  private async clearAll(): Promise<void> {
    const channels = await ari.get<Array<{ id: string }>>('/channels').catch(() => []);
    for (const ch of channels) await hangUp(ch.id).catch(() => undefined);
    await sleep(2_000);
    this.abort.abort();
    await Promise.allSettled([...this.calls.map((c) => c.run), ...this.phones.map((p) => p.run)]);
    await this.signOutAll().catch(() => undefined);
  }

  private async measure(fault: Fault | null, round: number): Promise<RoundOutcome> {
    const roundStart = Date.now();
    await this.signOutAll();
    await this.connectClients();

    // Talking: 1001 answers a sales caller at once.
    await agentEvents(this.id('1001'), ['AgentLogin', 'AgentReady']);
    this.startPhone('1001', 300);
    await sleep(300);
    const talking = this.startCaller(round, 'talking', 'talking', 'caller-until-bye.xml', '200');
    await this.arrived(talking);
    await eventually('the talking call answered', () => this.established(talking), 15_000);

    // Ringing: 1003's phone rings `ringMs` before answering a support caller.
    await agentEvents(this.id('1003'), ['AgentLogin', 'AgentReady']);
    this.startPhone('1003', this.size.ringMs);
    await sleep(300);
    const ringing = this.startCaller(round, 'ringing', 'ringing', 'caller-until-bye.xml', '201');
    await this.arrived(ringing);
    await eventually('the agent phone ringing', () =>
      this.events(ringing, 'CallDelivered').some(
        (s) => (s.body.deliveredTo as { kind?: string } | undefined)?.kind === 'agent',
      ),
    );

    // Queued (every agent of both queues busy or signed out) and in the IVR menu.
    const queued: Call[] = [];
    for (let q = 0; q < this.size.queuedPerQueue; q += 1) {
      queued.push(this.startCaller(round, `sales-${q + 1}`, 'queued', 'caller-until-bye.xml', '200'));
      queued.push(this.startCaller(round, `support-${q + 1}`, 'queued', 'caller-until-bye.xml', '201'));
    }
    const ivr: Call[] = [];
    for (let n = 0; n < this.size.ivrCallers; n += 1)
      ivr.push(
        this.startCaller(round, `ivr-${n + 1}`, 'ivr', 'caller-keys.xml', '100', this.size.keyDelayMs),
      );
    await Promise.all(
      queued.map(async (c) => {
        await this.arrived(c);
        await eventually(`${c.label} queued`, () => this.events(c, 'AgentRequest').length > 0);
      }),
    );
    await Promise.all(
      ivr.map(async (c) => {
        await this.arrived(c);
        await eventually(`${c.label} in the IVR`, () =>
          this.events(c, 'CallDelivered').some(
            (s) => (s.body.deliveredTo as { kind?: string } | undefined)?.kind === 'ivr',
          ),
        );
      }),
    );
    const stillRinging = !this.established(ringing);

    // The fault.
    const faultAt = Date.now();
    if (fault !== null) await inject(fault);
    const recoverySec = fault === null ? 0 : await secondsToRecover(faultAt, fault);
    const recoveredAt = Date.now();

    // What the calls do next: the ringing phone answers, IVR callers reach their queue.
    await eventually(
      'the ringing call answered',
      () => this.established(ringing),
      this.size.ringMs + 15_000,
    ).catch(() => undefined);
    await eventually(
      'IVR callers queued',
      () => ivr.every((c) => this.events(c, 'AgentRequest').some((s) => s.receivedAt >= faultAt)),
      20_000,
    ).catch(() => undefined);

    // Agent states now, against the phones: 1001 talks, 1003 talks once its phone answered.
    const agentStates: string[] = [];
    await this.connectClients().catch((err: Error) => agentStates.push(`agent clients: ${err.message}`));
    const ringingUp = await this.agentLegUp(ringing);
    const expectedMid: Record<Login, string> = {
      '1001': 'talking',
      '1003': ringingUp ? 'talking' : 'ringing',
      '1002': 'logged-out',
      '1004': 'logged-out',
    };
    await sleep(300);
    for (const login of LOGINS) {
      const stored = await storedState(this.id(login)).catch((e: Error) => `error: ${e.message}`);
      if (stored !== expectedMid[login])
        agentStates.push(`after recovery ${login}: AS says ${stored}, phone says ${expectedMid[login]}`);
    }

    // The queues carry on: the spare agents sign in and are given the best-ranked waiting callers.
    this.startPhone('1002', 300);
    this.startPhone('1004', 300);
    await sleep(300);
    await agentEvents(this.id('1002'), ['AgentLogin', 'AgentReady']);
    await agentEvents(this.id('1004'), ['AgentLogin', 'AgentReady']);
    // CTI must give the two spares two waiting callers: sales outranks support (priority 10 to 5) and
    // both spares take sales, so the sales callers first (up to two), then support. Which ones within a
    // queue is CTI's choice: they queued within milliseconds of each other.
    const isSales = (c: Call) => c.label.startsWith('sales-');
    const expectSales = Math.min(2, queued.filter(isSales).length);
    const served = () => queued.filter((c) => this.established(c, faultAt));
    await eventually('two queued callers answered', () => served().length >= 2, 15_000).catch(
      () => undefined,
    );
    const heads = served();
    const waiting = [...queued.filter((c) => !heads.includes(c)), ...ivr];
    // Queue media loops every 10 s: each caller still waiting hears it again after the recovery.
    await eventually(
      'queue media after the recovery',
      () => waiting.every((c) => this.heardAfter(c, recoveredAt)),
      13_000,
    ).catch(() => undefined);

    // The callers hang up.
    const hangUpAt = Date.now();
    for (const c of this.calls) await hangUp(c.channelId).catch(() => undefined);
    // Every sipp ends on its BYE; one still waiting (a phone never called) is stopped and reported.
    const runs = [...this.calls.map((c) => c.run), ...this.phones.map((p) => p.run)];
    await Promise.race([Promise.allSettled(runs), sleep(8_000)]);
    this.abort.abort();
    await Promise.allSettled(runs);
    await eventually(
      'every call cleared',
      () => this.calls.every((c) => this.events(c, 'ConnectionCleared').length > 0),
      15_000,
    ).catch(() => undefined);

    const early = (c: Call) => c.endedAt !== undefined && c.endedAt < hangUpAt;
    const talkingOutcome: StageOutcome = { total: 1, ok: 0, problems: [] };
    if (early(talking))
      talkingOutcome.problems.push(`talking ${talking.contactId}: dropped before the caller hung up`);
    else talkingOutcome.ok += 1;
    const ringingOutcome: StageOutcome = { total: 1, ok: 0, problems: [] };
    if (early(ringing)) ringingOutcome.problems.push(`ringing ${ringing.contactId}: dropped`);
    else if (!this.established(ringing))
      ringingOutcome.problems.push(`ringing ${ringing.contactId}: never answered`);
    else ringingOutcome.ok += 1;
    const queuedOutcome: StageOutcome = { total: queued.length, ok: 0, problems: [] };
    for (const c of queued) {
      if (early(c)) queuedOutcome.problems.push(`${c.label} ${c.contactId}: dropped`);
      else if (!heads.includes(c) && !this.heardAfter(c, recoveredAt))
        queuedOutcome.problems.push(`${c.label} ${c.contactId}: no queue media after the recovery`);
      else queuedOutcome.ok += 1;
    }
    const salesServed = heads.filter(isSales).length;
    if (heads.length !== 2 || salesServed !== expectSales) {
      // Callers the free agents should have had count as not carried on, however they waited.
      queuedOutcome.ok = Math.max(0, queuedOutcome.ok - Math.max(1, 2 - heads.length));
      queuedOutcome.problems.push(
        `${heads.length} queued callers answered by the two free agents after the fault (${salesServed} ` +
          `sales), expected 2 (${expectSales} sales): ${heads.map((c) => c.label).join(', ') || 'none'}`,
      );
    }
    const ivrOutcome: StageOutcome = { total: ivr.length, ok: 0, problems: [] };
    for (const c of ivr) {
      if (early(c)) ivrOutcome.problems.push(`${c.label} ${c.contactId}: dropped`);
      else if (!this.events(c, 'AgentRequest').some((s) => s.receivedAt >= faultAt))
        ivrOutcome.problems.push(
          `${c.label} ${c.contactId}: its key did not take it to the queue after the fault`,
        );
      else if (!this.heardAfter(c, recoveredAt))
        ivrOutcome.problems.push(`${c.label} ${c.contactId}: no prompt or queue media after the recovery`);
      else ivrOutcome.ok += 1;
    }
    // A call in conversation at the fault: the talking one, and the ringing one if it was answered before.
    const dropped = (early(talking) ? 1 : 0) + (!stillRinging && early(ringing) ? 1 : 0);

    const answered = [talking, ringing, ...heads];
    const { lost, duplicated } = await this.eventAccounting(answered);

    // Final agent states, against the phones: an agent whose phone answered a call this round is in
    // wrap-up, the others are ready (all four are signed in by now), as stored and as pushed by CTI.
    await sleep(500);
    for (const login of LOGINS) {
      const talked = this.phoneAnswered(login, roundStart);
      const expected = talked ? 'wrap-up' : 'ready';
      const stored = await storedState(this.id(login)).catch((e: Error) => `error: ${e.message}`);
      if (stored !== expected)
        agentStates.push(`at the end ${login}: AS says ${stored}, expected ${expected}`);
      const pushed = this.clients.get(login)?.of('state').at(-1)?.state ?? '(no push)';
      if (pushed !== expected)
        agentStates.push(`at the end ${login}: CTI's last push ${pushed}, expected ${expected}`);
    }

    const sippFailures = [
      ...this.calls
        .filter((c) => c.result?.code !== 0)
        .map((c) => `caller ${c.label}: ${c.result?.stdout.slice(-300) ?? ''}`),
      ...this.phones
        .filter((p) => p.result?.code !== 0)
        .map((p) => `phone ${p.login}: ${p.result?.stdout.slice(-300) ?? ''}`),
    ];
    await this.signOutAll();
    const left = await leftInAsterisk(5_000);
    return {
      fault: fault ?? 'none',
      round,
      recoverySec,
      talking: talkingOutcome,
      ringing: ringingOutcome,
      queued: queuedOutcome,
      ivr: ivrOutcome,
      dropped,
      lost,
      duplicated,
      agentStates,
      leftInAsterisk: left.channels.length + left.bridges.length,
      sippFailures,
    };
  }

  /** Whether an agent's phone answered a call since `since`: its channel went Up in Asterisk. */
  private phoneAnswered(login: Login, since: number): boolean {
    return this.ariEvents.events.some(
      (e) =>
        e.channel?.name.startsWith(`PJSIP/agent${login}-`) === true &&
        (e.channel as { state?: string }).state === 'Up' &&
        ariTime(e.timestamp) >= since,
    );
  }

  /** Whether the agent leg of a call is answered (Up in Asterisk): what the agent's phone is doing. */
  private async agentLegUp(call: Call): Promise<boolean> {
    const diverted = this.events(call, 'CallDelivered').find(
      (s) => (s.body.deliveredTo as { kind?: string } | undefined)?.kind === 'agent',
    );
    const channels = await ari.get<Array<{ id: string; state: string; name: string }>>('/channels');
    const legId = diverted === undefined ? undefined : String(diverted.body.channelId);
    const leg =
      channels.find((ch) => ch.id === legId) ?? channels.find((ch) => ch.name.startsWith('PJSIP/agent1003-'));
    return leg?.state === 'Up';
  }

  /**
   * Every call's events on the bus and in its stored timeline: the once-per-call events exactly once,
   * no message id twice, and the timeline holding each recorded event as often as the bus carried it.
   */
  private async eventAccounting(answered: Call[]): Promise<{ lost: string[]; duplicated: string[] }> {
    const lost: string[] = [];
    const duplicated: string[] = [];
    const ids = new Map<string, number>();
    for (const c of this.calls)
      for (const s of this.bus.forContact(c.contactId)) {
        const id = String(s.body.id);
        ids.set(id, (ids.get(id) ?? 0) + 1);
      }
    for (const [id, n] of ids) if (n > 1) duplicated.push(`message ${id} seen ${n} times`);

    const kind = (s: Observed) => (s.body.deliveredTo as { kind?: string } | undefined)?.kind;
    for (const c of this.calls) {
      const seen = this.bus.forContact(c.contactId).filter((s) => s.exchange === EXCHANGES.events);
      const once: Array<[string, (s: Observed) => boolean]> = [
        ['CallDelivered(acd)', (s) => s.body.type === 'CallDelivered' && kind(s) === 'acd'],
        ['RouteRequest', (s) => s.body.type === 'RouteRequest'],
        ['RouteEnd', (s) => s.body.type === 'RouteEnd'],
        ['AgentRequest', (s) => s.body.type === 'AgentRequest'],
        ['ConnectionCleared', (s) => s.body.type === 'ConnectionCleared'],
      ];
      if (answered.includes(c)) once.push(['Established', (s) => s.body.type === 'Established']);
      for (const [name, match] of once) {
        const n = seen.filter(match).length;
        if (n === 0) lost.push(`${c.label} ${c.contactId}: no ${name}`);
        if (n > 1) duplicated.push(`${c.label} ${c.contactId}: ${name} ${n} times`);
      }
    }

    // The store: CTI appends each of these events to the contact's timeline once.
    const recorded = [
      'CallDelivered',
      'RouteRequest',
      'AgentRequest',
      'Established',
      'ConnectionCleared',
      'DivertFailed',
    ];
    const mongo = new MongoClient(mongoUri(), { serverSelectionTimeoutMS: 3000 });
    try {
      const coll = mongo.db().collection('interactions');
      for (const c of this.calls) {
        const doc = await eventually(
          `${c.label} stored as cleared`,
          async () => {
            const d = await coll.findOne({ _id: c.contactId as never });
            return d?.state === 'cleared' ? d : undefined;
          },
          5_000,
        ).catch(() => undefined);
        if (doc === undefined) {
          lost.push(`${c.label} ${c.contactId}: not stored as cleared`);
          continue;
        }
        const timeline = (doc.timeline as Array<{ type: string }> | undefined) ?? [];
        const distinct = new Map<string, Observed>();
        for (const s of this.bus.forContact(c.contactId))
          if (s.exchange === EXCHANGES.events) distinct.set(String(s.body.id), s);
        for (const type of recorded) {
          const onBus = [...distinct.values()].filter((s) => s.body.type === type).length;
          const stored = timeline.filter((t) => t.type === type).length;
          if (stored < onBus)
            lost.push(`${c.label} ${c.contactId}: ${type} ${onBus} on the bus, ${stored} stored`);
          if (stored > onBus)
            duplicated.push(`${c.label} ${c.contactId}: ${type} stored ${stored} times, ${onBus} on the bus`);
        }
      }
    } finally {
      await mongo.close();
    }
    return { lost, duplicated };
  }
}
