import { setMaxListeners } from 'node:events';
import { EXCHANGES } from '../../lib/bus/topology';
import { AgentClient } from './agent-client';
import { agentEvents, agentIdOf, registerPhone } from './agents';
import { AriObserver, callChannels } from './ari';
import { eventually } from './bus-observer';
import { DurableBusObserver, type Observed } from './fault-bus';
import { type RoundAgent, demoAgent, extraAgents, removeExtraAgents, signOutAgents } from './fault-agents';
import { afterAsteriskFault } from './fault-asterisk';
import { eventAccounting } from './fault-load-accounting';
import { type LoadSize, type RoundOutcome, stageOutcomes } from './fault-load-outcome';
import {
  type Call,
  LOGINS,
  type Phone,
  type Stage,
  ariTime,
  deliveredTo,
  legUp,
  asteriskObjects,
  hangUp,
  leftSince,
  sippFailures,
  sleep,
  startCall,
  storedState,
} from './fault-load-parts';
import { FaultMedia, RTP_WINDOW_MS, type RtpWindows, type TalkRtp, rtpProblems, talkRtp } from './fault-rtp';
import type { UdpDatagram } from './rtp-pcap';
import { type Fault, inject, secondsToRecover } from './faults';
import { sipp } from './sipp';

export {
  SHORT_LOAD,
  failedRound,
  type LoadSize,
  type RoundOutcome,
  type StageOutcome,
} from './fault-load-outcome';

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
 * The long form adds sales agents (spec/support/fault-agents.ts) so that more calls talk at the fault.
 * Every caller and phone sends RTP; the talking calls' legs are counted both ways around the fault
 * (spec/support/fault-rtp.ts). Asterisk's own fault drops every call: spec/support/fault-asterisk.ts.
 */

export class FaultLoad {
  readonly bus = new DurableBusObserver();
  ariEvents = new AriObserver();
  /** The demo agents first, then the extra talkers. */
  agents: RoundAgent[] = [];
  private clients = new Map<string, AgentClient>();
  calls: Call[] = [];
  phones: Phone[] = [];
  private callIndex = 0;
  abort = new AbortController();
  private mediaFiles?: FaultMedia;

  constructor(private readonly size: LoadSize) {}

  /** Observers up, agents' phones registered, every demo agent signed out. */
  async prepare(): Promise<void> {
    await this.bus.start([EXCHANGES.events, EXCHANGES.commands]);
    await this.ariEvents.start();
    this.mediaFiles = await FaultMedia.create();
    for (const login of LOGINS) {
      const agent = demoAgent(login, await agentIdOf(login));
      this.agents.push(agent);
      await registerPhone(agent.endpoint, agent.sipPort);
    }
    this.agents.push(...(await extraAgents(this.size.talking - 1)));
    await this.signOutAll();
  }

  async close(): Promise<void> {
    await this.signOutAll().catch(() => undefined);
    for (const c of this.clients.values()) c.close();
    this.ariEvents.stop();
    await removeExtraAgents(this.agents);
    await this.mediaFiles?.remove();
    await this.bus.stop();
  }

  get media(): FaultMedia {
    if (this.mediaFiles === undefined) throw new Error('fault load not prepared');
    return this.mediaFiles;
  }

  agent(login: string): RoundAgent {
    const a = this.agents.find((x) => x.login === login);
    if (a === undefined) throw new Error(`agent ${login} not prepared`);
    return a;
  }

  id(login: string): string {
    return this.agent(login).id;
  }

  /** The agents talking at the fault: 1001 and the extras. */
  private talkers(): RoundAgent[] {
    return this.agents.filter((a) => a.login === '1001' || !(LOGINS as readonly string[]).includes(a.login));
  }

  /**
   * A new observer of Asterisk's events (Asterisk's restart ended the old one's WebSocket), subscribed
   * before it resolves (AriObserver.start): the calls after it are seen from their first event.
   */
  async renewAriObserver(): Promise<void> {
    this.ariEvents.stop();
    this.ariEvents = new AriObserver();
    await this.ariEvents.start();
  }

  /** Every agent signed out, as stored (a sign-out CTI refuses is sent again for up to 35 s). */
  signOutAll(): Promise<void> {
    return signOutAgents(this.agents);
  }

  /** Each agent's client on interface A, to receive CTI's state pushes (reopened after a CTI restart). */
  async connectClients(): Promise<void> {
    for (const { login } of this.agents) {
      const existing = this.clients.get(login);
      if (existing !== undefined && existing.closed === undefined) continue;
      const client = new AgentClient();
      await client.connect();
      client.send({ type: 'auth', token: AgentClient.tokenFor(this.id(login)) });
      await eventually(`agent ${login} client welcomed`, () => client.of('welcome').length > 0, 5_000);
      this.clients.set(login, client);
    }
  }

  /** The agent's phone: rings `ringMs`, answers, talks (RTP) until the BYE. */
  startPhone(login: string, ringMs: number): void {
    const a = this.agent(login);
    const phone: Phone = {
      login,
      run: sipp('rtp-agent.xml', {
        service: a.endpoint,
        localPort: a.sipPort,
        holdMs: ringMs,
        timeoutSec: 170,
        signal: this.abort.signal,
        cwd: this.media.dir,
        extra: ['-mp', String(a.mediaPort)],
      }),
    };
    void phone.run.then((r) => (phone.result = r));
    this.phones.push(phone);
  }

  startCaller(
    round: number,
    label: string,
    stage: Stage,
    scenario: string,
    service: string,
    holdMs?: number,
  ): Call {
    const call = startCall({
      index: this.callIndex++,
      round,
      label,
      stage,
      scenario,
      service,
      holdMs,
      signal: this.abort.signal,
      cwd: this.media.dir,
    });
    this.calls.push(call);
    return call;
  }

  events(call: Call, type: string): Observed[] {
    return this.bus.forContact(call.contactId).filter((s) => s.body.type === type);
  }

  async arrived(call: Call): Promise<void> {
    const delivered = await eventually(
      `${call.label} delivered`,
      () =>
        this.bus.seen.find(
          (s) =>
            s.body.type === 'CallDelivered' &&
            s.body.callingNumber === call.number &&
            deliveredTo(s) === 'acd',
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

  established(call: Call, after = 0): boolean {
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
    const channels = await callChannels<{ id: string; name: string }>().catch(() => []);
    for (const ch of channels) await hangUp(ch.id).catch(() => undefined);
    await sleep(2_000);
    this.abort.abort();
    await Promise.allSettled([...this.calls.map((c) => c.run), ...this.phones.map((p) => p.run)]);
    await this.media.stop().catch(() => undefined);
    await this.signOutAll().catch(() => undefined);
  }

  /**
   * The talking calls: every talker signs in ready with its phone up, then as many sales callers; CTI
   * picks which agent takes which. Resolves once all are answered, each paired with its agent.
   */
  private async talk(round: number): Promise<Array<{ call: Call; agent: string }>> {
    const talkers = this.talkers();
    for (const a of talkers) {
      await agentEvents(a.id, ['AgentLogin', 'AgentReady']);
      this.startPhone(a.login, 300);
    }
    await sleep(300);
    const calls = talkers.map((_, k) =>
      this.startCaller(round, `talking-${k + 1}`, 'talking', 'rtp-caller-until-bye.xml', '200'),
    );
    await Promise.all(calls.map((c) => this.arrived(c)));
    await eventually('the talking calls answered', () => calls.every((c) => this.established(c)), 20_000);
    return calls.map((call) => {
      const agentId = String(this.events(call, 'Established')[0]?.body.agentId);
      return { call, agent: this.agents.find((a) => a.id === agentId)?.login ?? agentId };
    });
  }

  /** Each talking call's legs, counted in the capture both ways around the fault. */
  talkRtp(datagrams: UdpDatagram[], talking: Array<{ call: Call; agent: string }>, w: RtpWindows): TalkRtp[] {
    const port = (login: string) => this.agents.find((x) => x.login === login)?.mediaPort ?? -1;
    const legs = talking.map(({ call, agent }) => ({ ...call, agent, agentPort: port(agent) }));
    return talkRtp(datagrams, legs, w);
  }

  private async measure(fault: Fault | null, round: number): Promise<RoundOutcome> {
    const roundStart = Date.now();
    const already = await asteriskObjects();
    await this.signOutAll();
    await this.connectClients();

    // Talking: 1001 (and the long form's extra sales agents) answer sales callers at once.
    const talkingCalls = await this.talk(round);
    const talking = talkingCalls.map((t) => t.call);
    await this.media.start([...talking.map((c) => c.mediaPort), ...this.talkers().map((a) => a.mediaPort)]);
    const captureFrom = Date.now();

    // Ringing: 1003's phone rings `ringMs` before answering a support caller.
    await agentEvents(this.id('1003'), ['AgentLogin', 'AgentReady']);
    this.startPhone('1003', this.size.ringMs);
    await sleep(300);
    const ringing = this.startCaller(round, 'ringing', 'ringing', 'rtp-caller-until-bye.xml', '201');
    await this.arrived(ringing);
    await eventually('the agent phone ringing', () =>
      this.events(ringing, 'CallDelivered').some((s) => deliveredTo(s) === 'agent'),
    );

    // Queued (every agent of both queues busy or signed out) and in the IVR menu.
    const queued: Call[] = [];
    for (let q = 0; q < this.size.queuedPerQueue; q += 1) {
      queued.push(this.startCaller(round, `sales-${q + 1}`, 'queued', 'rtp-caller-until-bye.xml', '200'));
      queued.push(this.startCaller(round, `support-${q + 1}`, 'queued', 'rtp-caller-until-bye.xml', '201'));
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
          this.events(c, 'CallDelivered').some((s) => deliveredTo(s) === 'ivr'),
        );
      }),
    );
    const stillRinging = !this.established(ringing);

    // The fault, once the capture holds the 2 s before it.
    await sleep(Math.max(0, captureFrom + RTP_WINDOW_MS + 200 - Date.now()));
    const faultAt = Date.now();
    if (fault !== null) await inject(fault);
    const windows: RtpWindows = { faultAt, injectedAt: Date.now() };
    const recoverySec = fault === null ? 0 : await secondsToRecover(faultAt, fault);
    const recoveredAt = Date.now();
    if (fault === 'asterisk')
      return afterAsteriskFault(this, {
        round,
        recoverySec,
        windows,
        talking: talkingCalls,
        stages: { ringing: [ringing], queued, ivr },
      });

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
    const expectedMid = new Map<string, string>([
      ...this.talkers().map((a) => [a.login, 'talking'] as const),
      ['1003', ringingUp ? 'talking' : 'ringing'],
      ['1002', 'logged-out'],
      ['1004', 'logged-out'],
    ]);
    await sleep(300);
    for (const [login, expected] of expectedMid) {
      const stored = await storedState(this.id(login)).catch((e: Error) => `error: ${e.message}`);
      if (stored !== expected)
        agentStates.push(`after recovery ${login}: AS says ${stored}, phone says ${expected}`);
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

    // The callers hang up (not before the capture holds the 2 s after the fault).
    await sleep(Math.max(0, windows.injectedAt + RTP_WINDOW_MS + 200 - Date.now()));
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
    const rtp = this.talkRtp(await this.media.stop(), talkingCalls, windows);

    const early = (c: Call) => c.endedAt !== undefined && c.endedAt < hangUpAt;
    const outcomes = stageOutcomes({
      talking,
      ringing,
      queued,
      ivr,
      heads,
      expectSales,
      isSales,
      early,
      rtpProblems: (c) => {
        const t = rtp.find((r) => r.label === c.label);
        return t === undefined ? [`${c.label}: no RTP counted`] : rtpProblems(t);
      },
      established: (c) => this.established(c),
      requestedAfterFault: (c) => this.events(c, 'AgentRequest').some((s) => s.receivedAt >= faultAt),
      heardAfterRecovery: (c) => this.heardAfter(c, recoveredAt),
    });
    // A call in conversation at the fault: the talking ones, and the ringing one if answered before.
    const dropped = talking.filter(early).length + (!stillRinging && early(ringing) ? 1 : 0);

    const answered = [...talking, ringing, ...heads];
    const { lost, duplicated } = await eventAccounting(this.bus, this.calls, answered);

    // Final agent states, against the phones: an agent whose phone answered a call this round is in
    // wrap-up, the others are ready (every agent is signed in by now), as stored and as pushed by CTI.
    await sleep(500);
    agentStates.push(...(await this.finalStates(this.agents, roundStart)));

    const sippFailures = this.sippFailures();
    await this.signOutAll();
    const left = await leftSince(already, 5_000);
    return {
      fault: fault ?? 'none',
      round,
      recoverySec,
      ...outcomes,
      rtp,
      dropped,
      lost,
      duplicated,
      agentStates,
      leftInAsterisk: left.length,
      sippFailures,
    };
  }

  /** Agents whose state differs from their phone's: wrap-up after a call answered since `since`, else ready. */
  async finalStates(agents: readonly RoundAgent[], since: number): Promise<string[]> {
    const out: string[] = [];
    for (const { login } of agents) {
      const expected = this.phoneAnswered(login, since) ? 'wrap-up' : 'ready';
      const stored = await storedState(this.id(login)).catch((e: Error) => `error: ${e.message}`);
      if (stored !== expected) out.push(`at the end ${login}: AS says ${stored}, expected ${expected}`);
      const pushed = this.clients.get(login)?.of('state').at(-1)?.state ?? '(no push)';
      if (pushed !== expected)
        out.push(`at the end ${login}: CTI's last push ${pushed}, expected ${expected}`);
    }
    return out;
  }

  /** sipp runs of the round that failed (exit code not 0): a protocol error on a phone or caller. */
  sippFailures(): string[] {
    return sippFailures(this.calls, this.phones);
  }

  /** Whether an agent's phone answered a call since `since`: its channel went Up in Asterisk. */
  phoneAnswered(login: string, since: number): boolean {
    const endpoint = this.agent(login).endpoint;
    return this.ariEvents.events.some(
      (e) =>
        e.channel?.name.startsWith(`PJSIP/${endpoint}-`) === true &&
        (e.channel as { state?: string }).state === 'Up' &&
        ariTime(e.timestamp) >= since,
    );
  }

  /** Whether the agent leg of a call is answered (Up in Asterisk): what the agent's phone is doing. */
  private async agentLegUp(call: Call): Promise<boolean> {
    const diverted = this.events(call, 'CallDelivered').find((s) => deliveredTo(s) === 'agent');
    return legUp(diverted === undefined ? undefined : String(diverted.body.channelId), 'PJSIP/agent1003-');
  }
}
