/**
 * The CTI domain's façade: the only module the CTI adapter (AMQP, ARI commands, MongoDB) imports.
 * Pure and deterministic: time comes from the injected clock, timers are returned as effects.
 */
export { CtiDomain, timerId } from './cti-domain';
export { RING_NO_ANSWER } from './domain-state';
export type { AgentView, ContactArrival, ContactView, QueueStats } from './cti-domain';
export { AGENT_EVENTS, AGENT_STATES, AGENT_TRANSITIONS, nextAgentState } from './agent-state';
export type { AgentEventType } from './agent-state';
export { CONTACT_EVENTS, CONTACT_TRANSITIONS, LIVE_CONTACT_STATES, nextContactState } from './contact-state';
export type { ContactEventType } from './contact-state';
export { DomainError } from './errors';
export type { DomainErrorCode, Result } from './errors';
export { SNAPSHOT_VERSION } from './snapshot';
export type { AgentSnapshot, ContactSnapshot, DomainSnapshot, QueueSnapshot } from './snapshot';
export * from './types';

import { CtiDomain } from './cti-domain';
import type { Clock } from './types';

export function createCtiDomain(deps: { readonly clock: Clock }): CtiDomain {
  return new CtiDomain(deps.clock);
}
