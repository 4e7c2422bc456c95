import type { Types } from 'mongoose';
import { Agent, NotReadyReason, Queue, type AgentData, type QueueData } from '../../as/models';
import type { AgentInput, Channel, QueueInput, SelectionPolicy } from '../domain';

/** What CTI needs of an agent beyond routing: where its phone is and how calls present to it. */
export interface AgentContact {
  id: string;
  login: string;
  /** The AS's display name (the wallboard shows it). */
  displayName?: string;
  /** The phone CTI rings: the chosen device's (cti/app/devices.ts), by default the desk phone's if any. */
  endpoint?: string;
  /** Both devices: `softphone` (the AS's `endpoints.webrtc`) and `desk` (`endpoints.sip`). */
  endpoints?: { softphone?: string; desk?: string };
  callerIdName?: string;
  callerIdNumber?: string;
}

export interface AgentEntry {
  input: AgentInput;
  contact: AgentContact;
}

export interface QueueEntry {
  input: QueueInput;
  ringTimeoutSec: number;
  /** The AS queue's `recording` setting: its calls are recorded. */
  recording: boolean;
  /** Where its waiting contacts go when it is deleted. */
  fallbackQueue?: string;
  /** The service level's threshold: answered within this many seconds (the wallboard's figure). */
  serviceLevelSec?: number;
}

/** A supervisor or administrator: which queues its wallboard and agent control cover. */
export interface StaffEntry {
  id: string;
  /** `admin` sees every queue; `supervisor` the queues it `supervises`. */
  admin: boolean;
  supervises: string[];
}

export interface DirectoryData {
  queues: QueueEntry[];
  agents: AgentEntry[];
  /** The not-ready reasons agents may give. */
  reasons: string[];
  /** Supervisors and administrators (absent: none known). */
  staff?: StaffEntry[];
}

/** CTI's port to the AS's directory (the store adapter below; plain data in unit tests). */
export interface DirectorySource {
  all(): Promise<DirectoryData>;
  /** Undefined: deleted, deactivated, or not an agent. */
  agent(id: string): Promise<AgentEntry | undefined>;
  queues(): Promise<QueueEntry[]>;
  reasons(): Promise<string[]>;
  /** Undefined: deleted, deactivated, or neither supervisor nor administrator. */
  staff?(id: string): Promise<StaffEntry | undefined>;
}

/** The callback retry policy of every queue (the AS's queues do not carry one yet). */
export interface CallbackPolicy {
  callbackRetryMs?: number;
  callbackAttempts?: number;
}

const POLICY = new Map<string, SelectionPolicy>([
  ['longest-idle', 'longest-idle'],
  ['least-calls', 'least-calls'],
  ['skill-level', 'highest-skill'],
]);

type StoredAgent = AgentData & { _id: Types.ObjectId };

/**
 * Reads agents, queues and not-ready reasons through the AS's own models (as/models: one schema for
 * both). Each AS queue is one domain queue of its channel: a `voice` queue serves voice and video alike
 * (one agent state machine for both); `email`, `sms` and `fax` queues hold ISAG's tasks. The queue id is
 * its name, which flows and messages use.
 */
export function storeDirectory(callbackPolicy: CallbackPolicy = {}): DirectorySource {
  const queues = async () =>
    (await Queue.find().lean<QueueData[]>()).map((q) => queueEntry(q, callbackPolicy));
  const reasons = async () => (await NotReadyReason.find().select('name').lean()).map((r) => r.name);
  return {
    queues,
    reasons,
    async agent(id) {
      // Not an id the AS makes: no such agent (the event names one that cannot exist).
      if (!/^[0-9a-f]{24}$/.test(id)) return undefined;
      const doc = await Agent.findById(id).lean<StoredAgent>();
      return doc === null ? undefined : agentEntry(doc);
    },
    async staff(id) {
      if (!/^[0-9a-f]{24}$/.test(id)) return undefined;
      const doc = await Agent.findById(id).lean<StoredAgent>();
      return doc === null ? undefined : staffEntry(doc);
    },
    async all() {
      const [q, agentDocs, r, staffDocs] = await Promise.all([
        queues(),
        Agent.find({ roles: 'agent', active: { $ne: false } }).lean<StoredAgent[]>(),
        reasons(),
        Agent.find({ roles: { $in: ['supervisor', 'admin'] }, active: { $ne: false } }).lean<StoredAgent[]>(),
      ]);
      const agents = agentDocs.map(agentEntry).filter((a): a is AgentEntry => a !== undefined);
      const staff = staffDocs.map(staffEntry).filter((a): a is StaffEntry => a !== undefined);
      return { queues: q, agents, reasons: r, staff };
    },
  };
}

const QUEUE_CHANNELS = new Map<string, Channel>([
  ['voice', 'voice'],
  ['email', 'email'],
  ['sms', 'sms'],
  ['fax', 'fax'],
]);

export function queueEntry(q: QueueData, callbackPolicy: CallbackPolicy = {}): QueueEntry {
  // A queue stored before queues had a channel is a call queue.
  const channel: Channel = QUEUE_CHANNELS.get(q.channel ?? 'voice') ?? 'voice';
  const task = channel !== 'voice';
  return {
    input: {
      id: q.name,
      channel,
      skills: q.skills.map((s) => ({ name: s.name, minLevel: s.minLevel })),
      priority: q.priority,
      policy: POLICY.get(q.selectionPolicy) ?? 'longest-idle',
      ringTimeoutMs: q.ringTimeoutSec * 1000,
      wrapUpMs: q.wrapUpSec * 1000,
      queueTimeoutMs: q.queueTimeoutSec * 1000,
      // A task has no caller to play voicemail to or call back: a timed-out task is released.
      timeoutAction: task ? 'release' : q.timeoutAction,
      ...callbackPolicy,
    },
    ringTimeoutSec: q.ringTimeoutSec,
    recording: q.recording,
    ...(q.fallbackQueue == null ? {} : { fallbackQueue: q.fallbackQueue }),
    ...(q.serviceLevelSec == null ? {} : { serviceLevelSec: q.serviceLevelSec }),
  };
}

/** Undefined for a record that is neither an active supervisor nor an active administrator. */
export function staffEntry(a: StoredAgent): StaffEntry | undefined {
  const admin = a.roles.includes('admin');
  if (a.active === false || (!admin && !a.roles.includes('supervisor'))) return undefined;
  return { id: a._id.toHexString(), admin, supervises: [...(a.supervises ?? [])] };
}

/** Undefined for a record CTI must not route to: deactivated, or without the agent role. */
export function agentEntry(a: StoredAgent): AgentEntry | undefined {
  if (a.active === false || !a.roles.includes('agent')) return undefined;
  const id = a._id.toHexString();
  // Skill names are the AS's NAME_PATTERN; a map without a prototype all the same (keys from input).
  const skills: Record<string, number> = Object.create(null) as Record<string, number>;
  for (const s of a.skills) skills[s.name] = s.level;
  const maxTasks = a.maxTasks ?? undefined;
  const desk = a.endpoints?.sip ?? undefined;
  const softphone = a.endpoints?.webrtc ?? undefined;
  const endpoint = desk ?? softphone;
  return {
    input: {
      id,
      skills,
      ...(maxTasks === undefined ? {} : { maxTasks: definedOnly(maxTasks) }),
      ...(typeof a.maxTotal === 'number' && { maxTotal: a.maxTotal }),
      ...(typeof a.callBlocksTasks === 'boolean' && { callBlocksTasks: a.callBlocksTasks }),
    },
    contact: {
      id,
      login: a.login,
      displayName: a.displayName,
      ...(endpoint == null ? {} : { endpoint }),
      endpoints: { ...(softphone == null ? {} : { softphone }), ...(desk == null ? {} : { desk }) },
      ...(a.callerId?.name == null ? {} : { callerIdName: a.callerId.name }),
      ...(a.callerId?.number == null ? {} : { callerIdNumber: a.callerId.number }),
    },
  };
}

function definedOnly(maxTasks: NonNullable<AgentData['maxTasks']>): Partial<Record<Channel, number>> {
  const out: Partial<Record<Channel, number>> = {};
  for (const channel of ['voice', 'video', 'email', 'sms', 'fax'] as const) {
    const n = maxTasks[channel];
    if (typeof n === 'number') out[channel] = n;
  }
  return out;
}

/** `200=sales,201=support`: called numbers that go straight to a queue, without the IVR's menus. */
export function directQueues(spec: string): Map<string, string> {
  return new Map(
    spec
      .split(',')
      .map((pair) => pair.split('=').map((x) => x.trim()))
      .filter((p): p is [string, string] => p.length === 2 && p[0] !== '' && p[1] !== ''),
  );
}
