import type { AgentStateEvent, ContactSummary } from '../../../as/domain/reports';

/**
 * A fixed day-part with hand-computed figures, shared by the unit test (pure arithmetic) and the
 * integration test (same contacts stored in FerretDB and read back through the report routes).
 * Window 09:00-10:00 UTC, queue threshold 20 s.
 */
export const T = (hms: string) => new Date(`2026-01-05T${hms}Z`);

export const contactsFor = (queueId: string, otherQueueId: string, agentA: string, agentB: string) =>
  ({
    // 09:00 bucket: offered 4, answered 3, abandoned 1, within 20 s: c1 (10 s) and c4 (exactly 20 s).
    c1: {
      queueId,
      agentId: agentA,
      queuedAt: T('09:00:00'),
      answeredAt: T('09:00:10'),
      endedAt: T('09:05:10'),
    },
    c2: {
      queueId,
      agentId: agentA,
      queuedAt: T('09:01:00'),
      answeredAt: T('09:01:30'),
      endedAt: T('09:03:30'),
    },
    c3: { queueId, queuedAt: T('09:02:00'), endedAt: T('09:02:45'), abandoned: true },
    c4: {
      queueId,
      agentId: agentA,
      queuedAt: T('09:14:59'),
      answeredAt: T('09:15:19'),
      endedAt: T('09:16:19'),
    },
    // 09:15 bucket: c5 answered in 5 s and still talking; c6 still waiting (offered, neither answered nor abandoned).
    c5: { queueId, agentId: agentB, queuedAt: T('09:20:00'), answeredAt: T('09:20:05') },
    c6: { queueId, queuedAt: T('09:25:00') },
    // 09:45 bucket: queued inside the window, answered after it.
    c7: {
      queueId,
      agentId: agentB,
      queuedAt: T('09:59:59.999'),
      answeredAt: T('10:00:30'),
      endedAt: T('10:01:30.999'),
    },
    // Outside: at `to` exactly, before `from`, another queue.
    c8: { queueId, queuedAt: T('10:00:00'), answeredAt: T('10:00:01'), endedAt: T('10:00:02') },
    c9: { queueId, queuedAt: T('08:59:59'), abandoned: true, endedAt: T('09:00:30') },
    c10: { queueId: otherQueueId, queuedAt: T('09:10:00'), abandoned: true, endedAt: T('09:11:00') },
  }) satisfies Record<string, ContactSummary>;

export const statesFor = (agentA: string, agentB: string): AgentStateEvent[] => [
  { agentId: agentA, state: 'NotReady', reason: 'lunch', at: T('08:50:00') },
  { agentId: agentA, state: 'Ready', at: T('09:10:00') },
  { agentId: agentA, state: 'NotReady', reason: 'training', at: T('09:40:00') },
  { agentId: agentA, state: 'LoggedOut', at: T('09:50:00') },
  { agentId: agentB, state: 'Ready', at: T('08:00:00') },
  { agentId: agentB, state: 'NotReady', at: T('09:30:00') },
];

/** `now` for the agent report: B's open not-ready state ends here. */
export const NOW = T('09:55:00');
export const WINDOW = { from: T('09:00:00'), to: T('10:00:00') };

export const expectedQueueRows15m = [
  {
    intervalStart: T('09:00:00'),
    offered: 4,
    answered: 3,
    abandoned: 1,
    abandonRate: 0.25,
    answeredWithinThreshold: 2,
    serviceLevel: 0.5,
    asaSec: 20, // (10 + 30 + 20) / 3
    ahtSec: 160, // (300 + 120 + 60) / 3
    longestWaitSec: 45, // c3 abandoned after 45 s
  },
  {
    intervalStart: T('09:15:00'),
    offered: 2,
    answered: 1,
    abandoned: 0,
    abandonRate: 0,
    answeredWithinThreshold: 1,
    serviceLevel: 0.5,
    asaSec: 5,
    ahtSec: null, // c5 has not ended
    longestWaitSec: 5,
  },
  {
    intervalStart: T('09:30:00'),
    offered: 0,
    answered: 0,
    abandoned: 0,
    abandonRate: null,
    answeredWithinThreshold: 0,
    serviceLevel: null,
    asaSec: null,
    ahtSec: null,
    longestWaitSec: null,
  },
  {
    intervalStart: T('09:45:00'),
    offered: 1,
    answered: 1,
    abandoned: 0,
    abandonRate: 0,
    answeredWithinThreshold: 0,
    serviceLevel: 0,
    asaSec: 30, // 30.001 s rounded to 0.01
    ahtSec: 61, // 60.999 s
    longestWaitSec: 30,
  },
];

export const expectedQueueRow1h = {
  intervalStart: T('09:00:00'),
  offered: 7,
  answered: 5,
  abandoned: 1,
  abandonRate: 0.1429, // 1/7
  answeredWithinThreshold: 3,
  serviceLevel: 0.4286, // 3/7
  asaSec: 19, // (10 + 30 + 20 + 5 + 30.001) / 5 = 19.0002
  ahtSec: 135.25, // (300 + 120 + 60 + 60.999) / 4 = 135.24975
  longestWaitSec: 45,
};

export const expectedAgentRows1h = (agentA: string, agentB: string) => [
  {
    agentId: agentA,
    intervalStart: T('09:00:00'),
    handled: 3, // c1, c2, c4
    talkTimeSec: 480,
    notReadySec: 1200,
    notReadyByReason: { lunch: 600, training: 600 },
  },
  {
    agentId: agentB,
    intervalStart: T('09:00:00'),
    handled: 1, // c5; c7 was answered after the window
    talkTimeSec: 0,
    notReadySec: 1500, // 09:30 until now (09:55)
    notReadyByReason: { unspecified: 1500 },
  },
];
