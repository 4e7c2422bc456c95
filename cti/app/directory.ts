import type { Db } from 'mongodb';
import type { AgentInput, QueueInput, SelectionPolicy } from '../domain';

/** What CTI needs of an agent beyond routing: where its phone is and how calls present to it. */
export interface AgentContact {
  id: string;
  login: string;
  endpoint?: string;
  callerIdName?: string;
  callerIdNumber?: string;
}

interface AgentDoc {
  _id: { toHexString(): string };
  login: string;
  roles: string[];
  active?: boolean;
  skills?: Array<{ name: string; level: number }>;
  endpoints?: { sip?: string; webrtc?: string };
  maxTasks?: Partial<Record<'voice' | 'video' | 'email' | 'sms' | 'fax', number>>;
  callerId?: { name?: string; number?: string };
}

interface QueueDoc {
  name: string;
  skills?: Array<{ name: string; minLevel: number }>;
  priority?: number;
  selectionPolicy?: string;
  ringTimeoutSec?: number;
  wrapUpSec?: number;
  queueTimeoutSec?: number;
  timeoutAction?: 'voicemail' | 'callback' | 'release';
  recording?: boolean;
}

const POLICY: Record<string, SelectionPolicy> = {
  'longest-idle': 'longest-idle',
  'least-calls': 'least-calls',
  'skill-level': 'highest-skill',
};

/**
 * Reads agents and queues as the AS stores them. Call queues serve voice and video alike (one agent
 * state machine for both), so each AS queue is one domain queue of channel `voice`; the queue id is
 * its name, which is what IVR flows and messages use.
 */
export async function loadDirectory(
  db: Db,
  /** The callback retry policy of every queue (the AS's queues do not carry one yet). */
  callbackPolicy: { callbackRetryMs?: number; callbackAttempts?: number } = {},
): Promise<{
  queues: QueueInput[];
  agents: AgentInput[];
  contacts: Map<string, AgentContact>;
  ringTimeoutSec: Map<string, number>;
  /** Queues whose calls are recorded (the AS queue's `recording` setting). */
  recordingQueues: Set<string>;
}> {
  const [queueDocs, agentDocs] = await Promise.all([
    db.collection<QueueDoc>('queues').find({}).toArray(),
    db
      .collection<AgentDoc>('agents')
      .find({ roles: 'agent', active: { $ne: false } })
      .toArray(),
  ]);
  const queues: QueueInput[] = queueDocs.map((q) => ({
    id: q.name,
    channel: 'voice',
    skills: (q.skills ?? []).map((s) => ({ name: s.name, minLevel: s.minLevel })),
    priority: q.priority ?? 0,
    policy: POLICY[q.selectionPolicy ?? 'longest-idle'] ?? 'longest-idle',
    ringTimeoutMs: (q.ringTimeoutSec ?? 20) * 1000,
    wrapUpMs: (q.wrapUpSec ?? 10) * 1000,
    queueTimeoutMs: (q.queueTimeoutSec ?? 300) * 1000,
    timeoutAction: q.timeoutAction ?? 'voicemail',
    ...callbackPolicy,
  }));
  const agents: AgentInput[] = [];
  const contacts = new Map<string, AgentContact>();
  for (const a of agentDocs) {
    const id = a._id.toHexString();
    agents.push({
      id,
      skills: Object.fromEntries((a.skills ?? []).map((s) => [s.name, s.level])),
      ...(a.maxTasks === undefined ? {} : { maxTasks: a.maxTasks }),
    });
    contacts.set(id, {
      id,
      login: a.login,
      ...((a.endpoints?.sip ?? a.endpoints?.webrtc)
        ? { endpoint: a.endpoints?.sip ?? a.endpoints?.webrtc }
        : {}),
      ...(a.callerId?.name === undefined ? {} : { callerIdName: a.callerId.name }),
      ...(a.callerId?.number === undefined ? {} : { callerIdNumber: a.callerId.number }),
    });
  }
  return {
    queues,
    agents,
    contacts,
    ringTimeoutSec: new Map(queueDocs.map((q) => [q.name, q.ringTimeoutSec ?? 20])),
    recordingQueues: new Set(queueDocs.filter((q) => q.recording === true).map((q) => q.name)),
  };
}
