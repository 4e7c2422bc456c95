import type { Message } from '../../lib/messages';
import type { CtiDomain } from '../domain';
import { timerId } from '../domain';
import type { CallbackBook } from './callbacks';
import { devicesOf, type Device, type DeviceChoices } from './devices';
import type { AgentContact } from './directory';
import type { ContactOwners } from './owners';
import type { TaskStatus } from '../tasks/messages';

export type ContactKind = 'call' | 'callback' | 'outbound';
export type ContactPhase = 'offered' | 'talking' | 'held' | 'consulting' | 'conferenced' | 'dialling';

/** The agent's current contact as the desktop shows it after a reload (interface A `snapshot`). */
export interface ContactStatus {
  contactId: string;
  queueId: string;
  kind: ContactKind;
  phase: ContactPhase;
  callingNumber?: string;
  callingName?: string;
  media?: string;
  number?: string;
  enteredAt?: string;
  recoverable: boolean;
}

/** Interface A's `snapshot`: where the agent stands, asked for by the page (`status`) and sent after `welcome`. */
export interface AgentSnapshotMessage {
  type: 'snapshot';
  state: string;
  reason?: string;
  at: string;
  wrapUpEndsAt?: string;
  device?: Device;
  devices: { softphone: boolean; desk: boolean };
  contact?: ContactStatus;
  /** The tasks (e-mail, SMS, fax) the agent holds: offered or accepted (CTI with task routing). */
  tasks?: TaskStatus[];
}

/**
 * What the domain does not know about a live call and the desktop shows: a consultation going on (the
 * caller held meanwhile), a callback or outbound call still dialling its customer. From the call
 * events; entries leave when the call ends (ConnectionCleared, a transfer away, a failed dial).
 */
export class ContactPhases {
  private readonly consulting = new Set<string>();
  private readonly dialling = new Set<string>();

  observe(m: Message): void {
    switch (m.type) {
      case 'Consulted':
        this.consulting.add(m.contactId);
        return;
      case 'ConsultEnded':
      case 'Conferenced':
        this.consulting.delete(m.contactId);
        return;
      case 'CallbackDialing':
        this.dialling.add(m.contactId);
        return;
      case 'Established':
        this.dialling.delete(m.contactId);
        return;
      case 'ConnectionCleared':
      case 'Transferred':
      case 'CallbackFailed':
        this.forget(m.contactId);
        return;
      default:
    }
  }

  /** An outbound contact dials its customer until Established. */
  diallingStarted(contactId: string): void {
    this.dialling.add(contactId);
  }

  forget(contactId: string): void {
    this.consulting.delete(contactId);
    this.dialling.delete(contactId);
  }

  isConsulting(contactId: string): boolean {
    return this.consulting.has(contactId);
  }

  isDialling(contactId: string): boolean {
    return this.dialling.has(contactId);
  }

  get size(): number {
    return this.consulting.size + this.dialling.size;
  }
}

export interface AgentStatusSources {
  domain: CtiDomain;
  owners: ContactOwners;
  book?: CallbackBook;
  phones: ReadonlyMap<string, AgentContact>;
  devices: DeviceChoices;
  phases: ContactPhases;
  recoverable: (contactId: string) => boolean;
  /** The tasks the agent holds (cti/tasks/service.ts); without it none. */
  tasks?: (agentId: string) => TaskStatus[];
}

/** When the agent's wrap-up ends (its domain timer), if it is in wrap-up with a timer. */
export function wrapUpEndsAt(domain: CtiDomain, agentId: string): string | undefined {
  const timer = domain.timer(timerId('wrap-up', agentId));
  return timer === undefined ? undefined : new Date(timer.dueAt).toISOString();
}

/** When the contact entered its queue (an outbound contact: when it was dialled). */
export function enteredAt(domain: CtiDomain, contactId: string): string | undefined {
  const view = domain.contactView(contactId);
  return view.ok ? new Date(view.value.enqueuedAt).toISOString() : undefined;
}

/** The snapshot of one agent; undefined for an agent CTI does not know. */
export function agentSnapshot(s: AgentStatusSources, agentId: string): AgentSnapshotMessage | undefined {
  const view = s.domain.agentView(agentId);
  if (!view.ok) return undefined;
  const agent = view.value;
  const phone = s.phones.get(agentId);
  // Logged out: the device a login without one would take (the choice ends at logout).
  const device = s.devices.current(phone);
  const endsAt = agent.state === 'wrap-up' ? wrapUpEndsAt(s.domain, agentId) : undefined;
  const contact =
    agent.realtimeContactId === undefined ? undefined : contactStatus(s, agent.realtimeContactId);
  return {
    type: 'snapshot',
    state: agent.state,
    ...(agent.reason === undefined ? {} : { reason: agent.reason }),
    at: new Date(agent.stateSince).toISOString(),
    ...(endsAt === undefined ? {} : { wrapUpEndsAt: endsAt }),
    ...(device === undefined ? {} : { device }),
    devices: devicesOf(phone),
    ...(contact === undefined ? {} : { contact }),
    ...(s.tasks === undefined ? {} : { tasks: s.tasks(agentId) }),
  };
}

function contactStatus(s: AgentStatusSources, contactId: string): ContactStatus | undefined {
  const view = s.domain.contactView(contactId);
  if (!view.ok) return undefined;
  const c = view.value;
  const kind: ContactKind = c.outbound === true ? 'outbound' : c.callback ? 'callback' : 'call';
  const caller = s.owners.caller(contactId);
  const number =
    kind === 'callback'
      ? s.book?.get(contactId)?.number
      : kind === 'outbound'
        ? caller?.callingNumber
        : undefined;
  return {
    contactId,
    queueId: c.queueId,
    kind,
    phase: phaseOf(s, contactId, c.state),
    ...(kind === 'call' && caller !== undefined ? caller : {}),
    ...(number === undefined ? {} : { number }),
    enteredAt: new Date(c.enqueuedAt).toISOString(),
    recoverable: s.recoverable(contactId),
  };
}

function phaseOf(s: AgentStatusSources, contactId: string, state: string): ContactPhase {
  if (state === 'offered' || state === 'ringing' || state === 'waiting' || state === 'scheduled')
    return 'offered';
  if (state === 'held') return s.phases.isConsulting(contactId) ? 'consulting' : 'held';
  if (s.phases.isDialling(contactId)) return 'dialling';
  return s.owners.party(contactId) === undefined ? 'talking' : 'conferenced';
}
