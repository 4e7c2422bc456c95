/** The open client connections of each agent (an agent may have several tabs); removed on close. */
export class AgentConnections<S> {
  private readonly byAgent = new Map<string, Set<S>>();

  add(agentId: string, socket: S): void {
    const set = this.byAgent.get(agentId) ?? new Set<S>();
    set.add(socket);
    this.byAgent.set(agentId, set);
  }

  remove(agentId: string, socket: S): void {
    const set = this.byAgent.get(agentId);
    if (set === undefined) return;
    set.delete(socket);
    if (set.size === 0) this.byAgent.delete(agentId);
  }

  of(agentId: string): readonly S[] {
    return [...(this.byAgent.get(agentId) ?? [])];
  }

  get agents(): number {
    return this.byAgent.size;
  }
}
