import { MongoClient } from 'mongodb';
import { agentEvents } from './agents';
import { leftInAsterisk } from './ari';
import { eventually } from './bus-observer';
import { registerAll } from './fault-agents';
import type { FaultLoad } from './fault-load';
import { eventAccounting } from './fault-load-accounting';
import type { RoundOutcome, StageOutcome, StateRecovery } from './fault-load-outcome';
import { type Call, hangUp, sleep } from './fault-load-parts';
import { MIN_PACKETS, RTP_WINDOW_MS, type RtpWindows, rtpProblems } from './fault-rtp';
import { mongoUri } from './servers';

/**
 * After Asterisk's kill and restart (spec/support/faults.ts): every call is gone with it, so no call
 * can carry on. What must hold instead is that the state recovers by itself: SoftACD, the IVR and CTI
 * reconnect, every call of the round is cleared (its ConnectionCleared on the bus, its interaction
 * stored as cleared), no agent is left talking or ringing, and afterwards a new call reaches a
 * signed-in agent and talks (RTP both ways). The time from the kill until the state recovered is
 * measured from the events' own times (the bus message's arrival, the agent state's stored time).
 */

export interface AsteriskRound {
  round: number;
  recoverySec: number;
  windows: RtpWindows;
  talking: Array<{ call: Call; agent: string }>;
  stages: { ringing: Call[]; queued: Call[]; ivr: Call[] };
}

/** How long the state may take to recover before the round reports what is stuck. */
const STATE_LIMIT_MS = 60_000;
const BUSY = new Set(['talking', 'ringing']);

/**
 * Per agent, the stored time of its first state after `since` in which it is neither talking nor
 * ringing (undefined: none yet); read in one connection so the poll stays cheap with many agents.
 */
async function freedAt(agentIds: readonly string[], since: number): Promise<Map<string, number | undefined>> {
  const mongo = new MongoClient(mongoUri(), { serverSelectionTimeoutMS: 3000 });
  try {
    const col = mongo.db().collection('agentstates');
    const out = new Map<string, number | undefined>();
    for (const agentId of agentIds) {
      const rows = await col
        .find({ agentId, at: { $gte: new Date(since) } })
        .sort({ at: 1 })
        .toArray();
      const free = rows.find((r) => !BUSY.has(String(r.state)));
      out.set(agentId, free === undefined ? undefined : (free.at as Date).getTime());
    }
    return out;
  } finally {
    await mongo.close();
  }
}

/** Waits for every call of the round to be cleared and every involved agent freed; times it. */
async function stateRecovery(
  load: FaultLoad,
  agents: readonly string[],
  faultAt: number,
): Promise<Omit<StateRecovery, 'newCall'>> {
  const ids = agents.map((login) => load.id(login));
  const clearedAt = (c: Call) => load.events(c, 'ConnectionCleared')[0]?.receivedAt;
  let stuck: string[] = [];
  let freed = new Map<string, number | undefined>();
  do {
    if (stuck.length > 0) await sleep(250);
    freed = await freedAt(ids, faultAt).catch(() => new Map<string, number | undefined>());
    stuck = [
      ...load.calls
        .filter((c) => clearedAt(c) === undefined)
        .map((c) => `${c.label} ${c.contactId}: not cleared`),
      ...agents.filter((_, i) => freed.get(ids[i] ?? '') === undefined).map((l) => `agent ${l}: still busy`),
    ];
  } while (stuck.length > 0 && Date.now() - faultAt < STATE_LIMIT_MS);
  const times = [...load.calls.map(clearedAt), ...freed.values()].filter((t): t is number => t !== undefined);
  const cleared = load.calls.filter((c) => clearedAt(c) !== undefined).length;
  return {
    stateRecoveredSec: stuck.length === 0 ? (Math.max(faultAt, ...times) - faultAt) / 1000 : NaN,
    cleared,
    total: load.calls.length,
    stuck,
  };
}

/** A new sales call after the recovery: 1001 signs in and must answer it, with RTP both ways. */
async function newCall(
  load: FaultLoad,
  round: number,
): Promise<StateRecovery['newCall'] & { since: number }> {
  load.calls = [];
  load.phones = [];
  load.abort = new AbortController();
  const since = Date.now();
  const problems: string[] = [];
  await agentEvents(load.id('1001'), ['AgentLogin', 'AgentReady']);
  load.startPhone('1001', 300);
  await sleep(300);
  const call = load.startCaller(round, 'after-restart', 'talking', 'rtp-caller-until-bye.xml', '200');
  await load.media.start([call.mediaPort, load.agent('1001').mediaPort]);
  let answeredAt = 0;
  try {
    await load.arrived(call);
    await eventually('the new call answered', () => load.established(call), 20_000);
    answeredAt = Date.now();
    await sleep(500 + RTP_WINDOW_MS + 200);
  } catch (err) {
    problems.push(`new call: ${(err as Error).message}`);
  }
  if (call.channelId !== '') await hangUp(call.channelId).catch(() => undefined);
  const runs = [call.run, ...load.phones.map((p) => p.run)];
  await Promise.race([Promise.allSettled(runs), sleep(8_000)]);
  load.abort.abort();
  await Promise.allSettled(runs);
  const datagrams = await load.media.stop();
  const established = answeredAt > 0;
  if (!established) return { established, problems, since };
  // The 2 s from half a second after the answer: `after` is that window (`before` is not judged).
  const at = answeredAt + 500;
  const agentId = String(load.events(call, 'Established')[0]?.body.agentId);
  const agent = load.agents.find((a) => a.id === agentId)?.login ?? agentId;
  const [rtp] = load.talkRtp(datagrams, [{ call, agent }], { faultAt: at, injectedAt: at });
  if (rtp !== undefined) problems.push(...rtpProblems(rtp, ['after']));
  problems.push(...load.sippFailures().map((f) => `sipp: ${f}`));
  await eventually(
    'the new call cleared',
    () => load.events(call, 'ConnectionCleared').length > 0,
    10_000,
  ).catch(() => problems.push('the new call: no ConnectionCleared'));
  return { established, ...(rtp === undefined ? {} : { rtp }), problems, since };
}

export async function afterAsteriskFault(load: FaultLoad, r: AsteriskRound): Promise<RoundOutcome> {
  const { faultAt } = r.windows;
  // Every sipp of the round waits for a BYE a killed Asterisk never sends: stopped once the capture
  // holds the 2 s after the restart (which show whether any media came back: none is expected).
  await sleep(Math.max(0, r.windows.injectedAt + RTP_WINDOW_MS + 200 - Date.now()));
  load.abort.abort();
  await Promise.allSettled([...load.calls.map((c) => c.run), ...load.phones.map((p) => p.run)]);
  const rtp = load.talkRtp(await load.media.stop(), r.talking, r.windows);

  const involved = [...new Set([...r.talking.map((t) => t.agent), '1003'])];
  const recovered = await stateRecovery(load, involved, faultAt);
  const roundCalls = load.calls;
  const { lost, duplicated } = await eventAccounting(
    load.bus,
    roundCalls,
    [],
    new Set(['CallDelivered(acd)', 'ConnectionCleared']),
  );

  // Asterisk forgot the phones' registrations and the suite's own ARI subscription with its restart;
  // the new observer is subscribed before the new call starts, so it sees 1001's leg from its creation.
  await registerAll(load.agents);
  await load.renewAriObserver();
  await load.signOutAll();
  const after = await newCall(load, r.round);
  await sleep(500);
  // 1001's expected state comes from the observer's events: events it missed must fail the round, not
  // pass as "no call answered". RTP both ways is judged on its own (newCall).
  if (load.ariEvents.drops > 0)
    after.problems.push(`ARI observer's WebSocket dropped ${load.ariEvents.drops} times after the restart`);
  if (after.established && !load.phoneAnswered('1001', after.since))
    after.problems.push("the new call established, but the ARI observer never saw 1001's leg Up");
  const agentStates = await load.finalStates([load.agent('1001')], after.since);
  await load.signOutAll();
  const left = await leftInAsterisk(5_000);
  const none = (calls: Call[]): StageOutcome => ({ total: calls.length, ok: 0, problems: [] });
  return {
    fault: 'asterisk',
    round: r.round,
    recoverySec: r.recoverySec,
    talking: none(r.talking.map((t) => t.call)),
    ringing: none(r.stages.ringing),
    queued: none(r.stages.queued),
    ivr: none(r.stages.ivr),
    rtp,
    stateRecovery: {
      ...recovered,
      newCall: {
        established: after.established,
        ...(after.rtp ? { rtp: after.rtp } : {}),
        problems: after.problems,
      },
    },
    // Dropped: the caller heard nothing in the 2 s after the restart.
    dropped: rtp.filter((t) => t.caller.after.received < MIN_PACKETS).length,
    lost,
    duplicated,
    agentStates,
    leftInAsterisk: left.channels.length + left.bridges.length,
    sippFailures: [],
  };
}
