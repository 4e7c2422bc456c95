/**
 * Which SoftACD owns each live call's channel and which IVR holds it: commands go to those instances.
 * Entries leave when the call is cleared.
 */
export interface CallerInfo {
  callingNumber: string;
  callingName: string;
  media: string;
}

/** The owners map as plain data, stored with the domain's snapshot (cti/app/persistence.ts). */
export interface OwnersSnapshot {
  softacds: Array<[string, string]>;
  ivrs: Array<[string, string]>;
  agents: Array<[string, string]>;
  callers: Array<[string, CallerInfo]>;
  /** Calls an agent answered (absent in states stored before it was kept). */
  answered?: string[];
}

/** Who holds each leg of one call: the record CTI's state stores per call (state-records.ts). */
export interface CallOwnersRecord {
  softacd?: string;
  ivr?: string;
  agent?: string;
  caller?: CallerInfo;
  answered?: true;
}

/** Always the same key order, so that the same owners are the same JSON text. */
export function callOwnersRecord(
  softacd: string | undefined,
  ivr: string | undefined,
  agent: string | undefined,
  caller: CallerInfo | undefined,
  answered = false,
): CallOwnersRecord | undefined {
  if (softacd === undefined && ivr === undefined && agent === undefined && caller === undefined && !answered)
    return undefined;
  return {
    ...(softacd !== undefined && { softacd }),
    ...(ivr !== undefined && { ivr }),
    ...(agent !== undefined && { agent }),
    ...(caller !== undefined && { caller }),
    ...(answered && { answered: true as const }),
  };
}

export class ContactOwners {
  private readonly softacds = new Map<string, string>();
  private readonly ivrs = new Map<string, string>();
  private readonly agents = new Map<string, string>();
  private readonly callers = new Map<string, CallerInfo>();
  /**
   * Calls an agent answered at some point (the interaction's `answeredAt`): whether a caller who hangs
   * up abandoned the call is known without reading the store.
   */
  private readonly answeredCalls = new Set<string>();
  /** The third party of a conference when it is an agent: it may leave it and is freed when it ends. */
  private readonly parties = new Map<string, string>();
  /** Calls whose stored owners changed since the persister last took them (cti/app/persistence.ts). */
  private readonly changed = new Set<string>();

  setParty(contactId: string, agentId: string): void {
    this.parties.set(contactId, agentId);
  }

  clearParty(contactId: string): void {
    this.parties.delete(contactId);
  }

  party(contactId: string): string | undefined {
    return this.parties.get(contactId);
  }
  private latest: string | undefined;

  setCaller(contactId: string, info: CallerInfo): void {
    this.callers.set(contactId, info);
    this.changed.add(contactId);
  }

  caller(contactId: string): CallerInfo | undefined {
    return this.callers.get(contactId);
  }

  /** The agent the contact was last offered to (screen pop, hang-up from the client, clearing). */
  setAgent(contactId: string, agentId: string): void {
    this.agents.set(contactId, agentId);
    this.changed.add(contactId);
  }

  /** The agent transferred the contact away: it no longer acts on it. */
  clearAgent(contactId: string): void {
    this.agents.delete(contactId);
    this.changed.add(contactId);
  }

  agent(contactId: string): string | undefined {
    return this.agents.get(contactId);
  }

  setSoftacd(contactId: string, instance: string): void {
    this.softacds.set(contactId, instance);
    this.changed.add(contactId);
    this.latest = instance;
  }

  /** The SoftACD instance that most recently reported a call: alive a moment ago. */
  get latestSoftacd(): string | undefined {
    return this.latest;
  }

  setIvr(contactId: string, instance: string): void {
    this.ivrs.set(contactId, instance);
    this.changed.add(contactId);
  }

  softacd(contactId: string): string | undefined {
    return this.softacds.get(contactId);
  }

  ivr(contactId: string): string | undefined {
    return this.ivrs.get(contactId);
  }

  setAnswered(contactId: string): void {
    if (this.answeredCalls.has(contactId)) return;
    this.answeredCalls.add(contactId);
    this.changed.add(contactId);
  }

  answered(contactId: string): boolean {
    return this.answeredCalls.has(contactId);
  }

  /** Whether CTI holds anything about the call (a SoftACD, an IVR, an agent, the caller, an answer). */
  knows(contactId: string): boolean {
    return this.callRecord(contactId) !== undefined;
  }

  forget(contactId: string): void {
    this.answeredCalls.delete(contactId);
    this.softacds.delete(contactId);
    this.changed.add(contactId);
    this.ivrs.delete(contactId);
    this.agents.delete(contactId);
    this.callers.delete(contactId);
    this.parties.delete(contactId);
  }

  get size(): number {
    return this.softacds.size;
  }

  /** Contacts whose channel the given SoftACD instance owns. */
  ownedBy(instance: string): string[] {
    return [...this.softacds].filter(([, owner]) => owner === instance).map(([contactId]) => contactId);
  }

  /** The SoftACD instances that own at least one live call. */
  instances(): Set<string> {
    return new Set(this.softacds.values());
  }

  /** The calls whose owners changed since the last call of this (and forgets them). */
  takeChanged(): string[] {
    const ids = [...this.changed];
    this.changed.clear();
    return ids;
  }

  /** One call's stored owners, as the snapshot holds them; undefined when CTI holds none. */
  callRecord(contactId: string): CallOwnersRecord | undefined {
    return callOwnersRecord(
      this.softacds.get(contactId),
      this.ivrs.get(contactId),
      this.agents.get(contactId),
      this.callers.get(contactId),
      this.answeredCalls.has(contactId),
    );
  }

  snapshot(): OwnersSnapshot {
    return {
      softacds: [...this.softacds],
      ivrs: [...this.ivrs],
      agents: [...this.agents],
      callers: [...this.callers],
      answered: [...this.answeredCalls],
    };
  }

  static restore(s: OwnersSnapshot): ContactOwners {
    const owners = new ContactOwners();
    for (const [k, v] of s.softacds) owners.softacds.set(k, v);
    for (const [k, v] of s.ivrs) owners.ivrs.set(k, v);
    for (const [k, v] of s.agents) owners.agents.set(k, v);
    for (const [k, v] of s.callers) owners.callers.set(k, v);
    for (const k of s.answered ?? []) owners.answeredCalls.add(k);
    return owners;
  }
}
