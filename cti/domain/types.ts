/** Plain data that crosses the façade: configuration in, decisions and records out. */

export const CHANNELS = ['voice', 'video', 'email', 'sms', 'fax'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Voice and video occupy the agent (the agent state machine); the others are tasks counted per channel. */
export const REALTIME_CHANNELS: ReadonlySet<Channel> = new Set<Channel>(['voice', 'video']);

export const DEFAULT_MAX_TASKS: Readonly<Record<Channel, number>> = {
  voice: 1,
  video: 1,
  email: 3,
  sms: 3,
  fax: 1,
};

/** Contacts an agent holds at once across channels, when its record does not say. */
export const DEFAULT_MAX_TOTAL = 9;

export const MIN_SKILL_LEVEL = 1;
export const MAX_SKILL_LEVEL = 10;

export type SelectionPolicy = 'longest-idle' | 'least-calls' | 'highest-skill';
export type QueueTimeoutAction = 'voicemail' | 'callback' | 'release';

export interface SkillRequirement {
  readonly name: string;
  readonly minLevel: number;
}

export interface QueueConfig {
  readonly id: string;
  readonly channel: Channel;
  /** Empty: any agent that takes the channel qualifies. For `highest-skill` the first one ranks agents. */
  readonly skills: readonly SkillRequirement[];
  /** Higher is served first when an agent qualifies for several queues. */
  readonly priority: number;
  readonly policy: SelectionPolicy;
  /** Offer (ringing or task acceptance) timeout; 0 disables it. */
  readonly ringTimeoutMs: number;
  /** Wrap-up after a voice/video contact; 0 returns the agent to ready at once. */
  readonly wrapUpMs: number;
  /** Maximum wait in queue; 0 disables it. Callback entries never time out. */
  readonly queueTimeoutMs: number;
  readonly timeoutAction: QueueTimeoutAction;
  /** A callback whose customer did not answer is dialled again this long after the attempt... */
  readonly callbackRetryMs: number;
  /** ...up to this many dials in all; then it ends as failed (reason `callback-failed`). */
  readonly callbackAttempts: number;
  /** Handle time assumed for the expected-wait estimate until the queue has history. */
  readonly defaultHandleTimeMs: number;
}

export type QueueInput = Pick<QueueConfig, 'id' | 'channel'> & Partial<Omit<QueueConfig, 'id' | 'channel'>>;

export interface AgentConfig {
  readonly id: string;
  /** Skill name -> level (MIN_SKILL_LEVEL..MAX_SKILL_LEVEL). */
  readonly skills: Readonly<Record<string, number>>;
  /** Concurrent contacts per channel; 0 means the agent does not take that channel. */
  readonly maxTasks: Readonly<Record<Channel, number>>;
  /** Concurrent contacts across every channel (a call counts as one). */
  readonly maxTotal: number;
  /** While the agent has a voice or video contact (or wraps one up), no task is offered to it. */
  readonly callBlocksTasks: boolean;
}

export type AgentInput = Pick<AgentConfig, 'id'> & {
  readonly skills?: Readonly<Record<string, number>>;
  readonly maxTasks?: Partial<Record<Channel, number>>;
  readonly maxTotal?: number;
  readonly callBlocksTasks?: boolean;
};

export type AgentState =
  'logged-out' | 'not-ready' | 'ready' | 'reserved' | 'ringing' | 'talking' | 'wrap-up';

/** `scheduled`: a callback whose customer did not answer, out of the line until its retry is due. */
export type ContactState = 'waiting' | 'offered' | 'ringing' | 'connected' | 'held' | 'scheduled' | 'ended';

/** What the adapter persists for every agent state change. */
export interface AgentStateChange {
  readonly agentId: string;
  readonly from: AgentState;
  readonly to: AgentState;
  readonly reason?: string;
  readonly contactId?: string;
  readonly at: number;
}

/** What the adapter persists (and adds to the contact's timeline) for every contact state change. */
export interface ContactStateChange {
  readonly contactId: string;
  readonly queueId: string;
  readonly from: ContactState | 'new';
  readonly to: ContactState;
  readonly reason?: string;
  readonly agentId?: string;
  readonly at: number;
}

/** A routing decision: the adapter diverts the call (or pushes the task) to the agent. */
export interface Offer {
  readonly contactId: string;
  readonly agentId: string;
  readonly queueId: string;
  readonly channel: Channel;
  /** The agent is to call the customer back: the caller left a callback request. */
  readonly callback: boolean;
}

export type TimerKind = 'ring' | 'wrap-up' | 'queue' | 'retry';

export interface Timer {
  readonly id: string;
  readonly kind: TimerKind;
  readonly dueAt: number;
  readonly contactId?: string;
  readonly agentId?: string;
}

/** The domain owns no timers: it asks the adapter to arm or disarm one and hears back via `timerFired`. */
export type TimerEffect =
  | { readonly type: 'schedule'; readonly timer: Timer }
  | { readonly type: 'cancel'; readonly timerId: string };

/** A contact left the queue on timeout; the IVR announces it and applies the action. */
export interface QueueTimeoutNotice {
  readonly type: 'queue-timeout';
  readonly contactId: string;
  readonly queueId: string;
  readonly action: QueueTimeoutAction;
}

export type Notice = QueueTimeoutNotice;

/** Everything one command produced, in order. */
export interface Outcome {
  readonly agentChanges: AgentStateChange[];
  readonly contactChanges: ContactStateChange[];
  readonly offers: Offer[];
  readonly timers: TimerEffect[];
  readonly notices: Notice[];
}

export function emptyOutcome(): Outcome {
  return { agentChanges: [], contactChanges: [], offers: [], timers: [], notices: [] };
}

export interface Clock {
  now(): number;
}
