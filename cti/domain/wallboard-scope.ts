import type { WallboardAgent, WallboardQueue, WallboardView } from './wallboard';

/**
 * What one supervisor may see and act on. An administrator: every queue. A supervisor: the queues its
 * person record lists in `supervises` (names of queues that do not exist match nothing); the agents
 * shown are those that serve at least one of them (wallboard.ts `servesQueue`: the routing rule), each
 * with only the scoped queues listed. Pure.
 */
export type Scope = { all: true } | { all: false; queues: ReadonlySet<string> };

export const NO_QUEUES: Scope = { all: false, queues: new Set() };

export function scopeOf(person: { admin: boolean; supervises: readonly string[] } | undefined): Scope {
  if (person === undefined) return NO_QUEUES;
  return person.admin ? { all: true } : { all: false, queues: new Set(person.supervises) };
}

export function coversQueue(scope: Scope, queueId: string): boolean {
  return scope.all || scope.queues.has(queueId);
}

/** Whether the supervisor may act on this agent: it serves one of the scoped queues. */
export function coversAgent(scope: Scope, agent: Pick<WallboardAgent, 'queues'>): boolean {
  return scope.all || agent.queues.some((q) => scope.queues.has(q));
}

export function scopeView(view: WallboardView, scope: Scope): WallboardView {
  if (scope.all) return view;
  return {
    day: view.day,
    queues: view.queues.filter((q) => scope.queues.has(q.id)),
    agents: view.agents.filter((a) => coversAgent(scope, a)).map((a) => scopeAgent(a, scope.queues)),
  };
}

/**
 * An agent shared with other queues: only the scoped queues are listed, and a contact of another queue
 * is that queue's business, so its id and queue are dropped (the row still shows the agent busy).
 */
function scopeAgent(agent: WallboardAgent, queues: ReadonlySet<string>): WallboardAgent {
  const { contactId, contactQueue, ...rest } = agent;
  const shown = contactQueue !== undefined && queues.has(contactQueue);
  return {
    ...rest,
    ...(shown && contactId !== undefined ? { contactId, contactQueue } : {}),
    queues: agent.queues.filter((q) => queues.has(q)),
  };
}

/** The rows a supervisor's page last received, by id, as sent (JSON), to send only what changed. */
export interface SentRows {
  queues: Map<string, string>;
  agents: Map<string, string>;
}

export interface WallboardDelta {
  day: string;
  queues: WallboardQueue[];
  agents: WallboardAgent[];
  removedQueues: string[];
  removedAgents: string[];
}

export function rowsOf(view: WallboardView): SentRows {
  return {
    queues: new Map(view.queues.map((q) => [q.id, JSON.stringify(q)])),
    agents: new Map(view.agents.map((a) => [a.id, JSON.stringify(a)])),
  };
}

/** What changed between the rows sent and `next`; undefined when nothing did. */
export function diffView(sent: SentRows, sentDay: string, next: WallboardView): WallboardDelta | undefined {
  const now = rowsOf(next);
  const queues = next.queues.filter((q) => sent.queues.get(q.id) !== now.queues.get(q.id));
  const agents = next.agents.filter((a) => sent.agents.get(a.id) !== now.agents.get(a.id));
  const removedQueues = [...sent.queues.keys()].filter((id) => !now.queues.has(id));
  const removedAgents = [...sent.agents.keys()].filter((id) => !now.agents.has(id));
  const changed =
    queues.length + agents.length + removedQueues.length + removedAgents.length > 0 || sentDay !== next.day;
  return changed ? { day: next.day, queues, agents, removedQueues, removedAgents } : undefined;
}
