import type { Fault } from './faults';
import type { Call } from './fault-load-parts';
import type { TalkRtp } from './fault-rtp';

/**
 * What a fault round is made of (its size) and what it reports: per stage of a call, how many carried
 * on after the fault and what went wrong for the others (spec/support/fault-load.ts measures).
 */

export interface LoadSize {
  /** Calls talking when the fault hits: agent 1001's, and one per extra sales agent beyond the first. */
  talking: number;
  /** Callers waiting in each of the two queues when the fault hits. */
  queuedPerQueue: number;
  /** Callers in the IVR menu when the fault hits. */
  ivrCallers: number;
  /** How long the ringing agent's phone rings before it answers (the queue's ring time is 20 s). */
  ringMs: number;
  /** How long after answering an IVR caller starts pressing 2 (then every 2.5 s until it is queued). */
  keyDelayMs: number;
}

export const SHORT_LOAD: LoadSize = {
  talking: 1,
  queuedPerQueue: 1,
  ivrCallers: 1,
  ringMs: 9_000,
  keyDelayMs: 4_000,
};

/**
 * The Asterisk fault drops every call: what is judged instead is that the state recovers. Every call
 * of the round cleared (bus and store), no agent left talking or ringing, and a new call afterwards
 * answered by a signed-in agent with RTP both ways.
 */
export interface StateRecovery {
  /** Seconds from the kill until every call was cleared and no agent was left talking or ringing. */
  stateRecoveredSec: number;
  /** Calls of the round with their ConnectionCleared on the bus, of all calls. */
  cleared: number;
  total: number;
  /** Contacts not cleared and agents still talking or ringing when the wait gave up. */
  stuck: string[];
  /** The call placed after the recovery: answered, and its RTP (both legs, 2 s after the answer). */
  newCall: { established: boolean; rtp?: TalkRtp; problems: string[] };
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
  /** The talking calls' RTP per leg, 2 s before the fault and 2 s after the injection returned. */
  rtp: TalkRtp[];
  /** Set for the Asterisk fault, whose calls drop. */
  stateRecovery?: StateRecovery;
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

/** A round that could not be run, for the report. */
export function failedRound(fault: Fault | 'none', round: number, error: string): RoundOutcome {
  const none = (): StageOutcome => ({ total: 0, ok: 0, problems: [] });
  return {
    fault,
    round,
    recoverySec: NaN,
    talking: none(),
    rtp: [],
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

/** What the round saw of its calls after the fault, for judging each stage. */
export interface AfterFault {
  talking: Call[];
  ringing: Call;
  queued: Call[];
  ivr: Call[];
  /** The queued callers the two spare agents answered after the fault. */
  heads: Call[];
  /** How many of `heads` must be sales callers (sales outranks support). */
  expectSales: number;
  isSales: (c: Call) => boolean;
  /** The caller's sipp ended before the test hung it up. */
  early: (c: Call) => boolean;
  /** What was wrong with a talking call's RTP around the fault (empty: both legs flowed both ways). */
  rtpProblems: (c: Call) => string[];
  established: (c: Call) => boolean;
  /** An AgentRequest for the call after the fault (its key took it to the queue). */
  requestedAfterFault: (c: Call) => boolean;
  /** The caller heard a prompt or queue media after the recovery. */
  heardAfterRecovery: (c: Call) => boolean;
}

/** Per stage: the calls that carried on after the fault, and what went wrong for the others. */
export function stageOutcomes(a: AfterFault): Pick<RoundOutcome, 'talking' | 'ringing' | 'queued' | 'ivr'> {
  const { talking, ringing, queued, ivr, heads, early } = a;
  const talkingOutcome: StageOutcome = { total: talking.length, ok: 0, problems: [] };
  for (const c of talking) {
    const rtp = a.rtpProblems(c);
    if (early(c))
      talkingOutcome.problems.push(`${c.label} ${c.contactId}: dropped before the caller hung up`);
    else if (rtp.length > 0) talkingOutcome.problems.push(...rtp);
    else talkingOutcome.ok += 1;
  }
  const ringingOutcome: StageOutcome = { total: 1, ok: 0, problems: [] };
  if (early(ringing)) ringingOutcome.problems.push(`ringing ${ringing.contactId}: dropped`);
  else if (!a.established(ringing))
    ringingOutcome.problems.push(`ringing ${ringing.contactId}: never answered`);
  else ringingOutcome.ok += 1;
  const queuedOutcome: StageOutcome = { total: queued.length, ok: 0, problems: [] };
  for (const c of queued) {
    if (early(c)) queuedOutcome.problems.push(`${c.label} ${c.contactId}: dropped`);
    else if (!heads.includes(c) && !a.heardAfterRecovery(c))
      queuedOutcome.problems.push(`${c.label} ${c.contactId}: no queue media after the recovery`);
    else queuedOutcome.ok += 1;
  }
  const salesServed = heads.filter(a.isSales).length;
  if (heads.length !== 2 || salesServed !== a.expectSales) {
    // Callers the free agents should have had count as not carried on, however they waited.
    queuedOutcome.ok = Math.max(0, queuedOutcome.ok - Math.max(1, 2 - heads.length));
    queuedOutcome.problems.push(
      `${heads.length} queued callers answered by the two free agents after the fault (${salesServed} ` +
        `sales), expected 2 (${a.expectSales} sales): ${heads.map((c) => c.label).join(', ') || 'none'}`,
    );
  }
  const ivrOutcome: StageOutcome = { total: ivr.length, ok: 0, problems: [] };
  for (const c of ivr) {
    if (early(c)) ivrOutcome.problems.push(`${c.label} ${c.contactId}: dropped`);
    else if (!a.requestedAfterFault(c))
      ivrOutcome.problems.push(
        `${c.label} ${c.contactId}: its key did not take it to the queue after the fault`,
      );
    else if (!a.heardAfterRecovery(c))
      ivrOutcome.problems.push(`${c.label} ${c.contactId}: no prompt or queue media after the recovery`);
    else ivrOutcome.ok += 1;
  }
  return { talking: talkingOutcome, ringing: ringingOutcome, queued: queuedOutcome, ivr: ivrOutcome };
}
