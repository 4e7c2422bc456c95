import type { AgentContact } from './directory';

/** The agent's two phones: the browser softphone (`endpoints.webrtc`) and the desk SIP phone (`endpoints.sip`). */
export type Device = 'softphone' | 'desk';

/** Which of the agent's devices exist. */
export function devicesOf(contact: AgentContact | undefined): { softphone: boolean; desk: boolean } {
  return {
    softphone: contact?.endpoints?.softphone !== undefined,
    desk: contact?.endpoints?.desk !== undefined,
  };
}

/** Without a choice: the desk phone if the agent has one, else the softphone (the behaviour before devices). */
export function defaultDevice(contact: AgentContact | undefined): Device | undefined {
  const has = devicesOf(contact);
  return has.desk ? 'desk' : has.softphone ? 'softphone' : undefined;
}

/**
 * Each logged-in agent's chosen device, by agent id, from its `login`/`device` (or a desk phone's log-in
 * code) until it logs out. Stored with CTI's state (record `d:<agentId>`, state-records.ts), so a
 * restarted CTI keeps ringing the device the agent chose.
 */
export class DeviceChoices {
  private readonly choices = new Map<string, Device>();
  private readonly changed = new Set<string>();

  set(agentId: string, device: Device): void {
    if (this.choices.get(agentId) === device) return;
    this.choices.set(agentId, device);
    this.changed.add(agentId);
  }

  /** The agent logged out (or left the directory): the next login chooses again. */
  clear(agentId: string): void {
    if (this.choices.delete(agentId)) this.changed.add(agentId);
  }

  get(agentId: string): Device | undefined {
    return this.choices.get(agentId);
  }

  /** The device CTI rings for the agent: its choice if that device exists, else the default. */
  current(contact: AgentContact | undefined): Device | undefined {
    const chosen = contact === undefined ? undefined : this.choices.get(contact.id);
    if (chosen !== undefined && devicesOf(contact)[chosen]) return chosen;
    return defaultDevice(contact);
  }

  /** The agents whose choice changed since the last call of this (and forgets them). */
  takeChanged(): string[] {
    const ids = [...this.changed];
    this.changed.clear();
    return ids;
  }

  get size(): number {
    return this.choices.size;
  }

  snapshot(): Array<[string, Device]> {
    return [...this.choices];
  }

  static restore(entries: ReadonlyArray<[string, Device]>): DeviceChoices {
    const choices = new DeviceChoices();
    for (const [agentId, device] of entries)
      if (device === 'softphone' || device === 'desk') choices.choices.set(agentId, device);
    return choices;
  }
}

/**
 * The directory's agents as routing, callbacks and call control see them: each with `endpoint` set to
 * the device the agent chose. A read-only view over the live directory's map (which changes in place).
 */
export class AgentPhones implements ReadonlyMap<string, AgentContact> {
  constructor(
    private readonly directory: ReadonlyMap<string, AgentContact>,
    private readonly choices: DeviceChoices,
  ) {}

  get(agentId: string): AgentContact | undefined {
    return this.phone(this.directory.get(agentId));
  }

  has(agentId: string): boolean {
    return this.directory.has(agentId);
  }

  get size(): number {
    return this.directory.size;
  }

  /** The agent whose desk phone this is (a feature code names the phone, never the agent). */
  byDesk(endpoint: string): AgentContact | undefined {
    for (const contact of this.directory.values())
      if (contact.endpoints?.desk === endpoint) return this.phone(contact);
    return undefined;
  }

  *entries(): MapIterator<[string, AgentContact]> {
    for (const [id, contact] of this.directory) yield [id, this.phone(contact) as AgentContact];
  }

  keys(): MapIterator<string> {
    return this.directory.keys();
  }

  *values(): MapIterator<AgentContact> {
    for (const [, contact] of this.entries()) yield contact;
  }

  [Symbol.iterator](): MapIterator<[string, AgentContact]> {
    return this.entries();
  }

  forEach(fn: (value: AgentContact, key: string, map: ReadonlyMap<string, AgentContact>) => void): void {
    for (const [id, contact] of this.entries()) fn(contact, id, this);
  }

  private phone(contact: AgentContact | undefined): AgentContact | undefined {
    if (contact === undefined) return undefined;
    const device = this.choices.current(contact);
    const endpoint = device === undefined ? contact.endpoint : contact.endpoints?.[device];
    if (endpoint === contact.endpoint) return contact;
    const { endpoint: _old, ...rest } = contact;
    return endpoint === undefined ? rest : { ...rest, endpoint };
  }
}
