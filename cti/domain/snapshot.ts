import type { AgentConfig, AgentState, ContactState, QueueConfig, Timer } from './types';

/**
 * The domain's whole state as plain JSON-able data. The adapter stores it (or rebuilds it from the change
 * records it persisted) and hands it to `CtiDomain.restore` after a restart; indexes are derived, never
 * stored.
 */
export const SNAPSHOT_VERSION = 1;

export interface QueueSnapshot {
  readonly config: QueueConfig;
  /** Recent handle times, oldest first. */
  readonly handleTimes: readonly number[];
}

export interface AgentSnapshot {
  readonly config: AgentConfig;
  readonly state: AgentState;
  readonly reason?: string;
  readonly stateSince: number;
  readonly readySeq: number;
  readonly idleSince: number;
  readonly callsToday: number;
}

export interface ContactSnapshot {
  readonly id: string;
  readonly queueId: string;
  readonly state: Exclude<ContactState, 'ended'>;
  readonly enqueuedAt: number;
  readonly seq: number;
  readonly returned: boolean;
  readonly callback: boolean;
  /** An outbound contact (absent: inbound). */
  readonly outbound?: boolean;
  /** Callback dials the customer did not answer (absent: none). */
  readonly attempts?: number;
  readonly agentId?: string;
  /** The agent a transfer or consultation offered the contact to by name (`directOffer`). */
  readonly directAgentId?: string;
  readonly offeredAt?: number;
  readonly answeredAt?: number;
}

export interface DomainSnapshot {
  readonly version: typeof SNAPSHOT_VERSION;
  readonly contactSeq: number;
  readonly readySeq: number;
  readonly queues: readonly QueueSnapshot[];
  readonly agents: readonly AgentSnapshot[];
  readonly contacts: readonly ContactSnapshot[];
  readonly timers: readonly Timer[];
}
