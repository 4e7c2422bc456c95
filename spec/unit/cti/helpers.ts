import { expect } from '../../support/chai';
import {
  CtiDomain,
  createCtiDomain,
  type AgentInput,
  type AgentState,
  type Clock,
  type Outcome,
  type QueueInput,
  type Result,
} from '../../../cti/domain';

export class FakeClock implements Clock {
  constructor(public t = 1_000_000) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

export function must<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

export function mustFail<T>(result: Result<T>, code: string): void {
  expect(result.ok, 'expected an error').to.equal(false);
  if (!result.ok) expect(result.error.code).to.equal(code);
}

export interface World {
  clock: FakeClock;
  cti: CtiDomain;
}

export function world(): World {
  const clock = new FakeClock();
  return { clock, cti: createCtiDomain({ clock }) };
}

export function queue(w: World, input: QueueInput): void {
  must(w.cti.addQueue({ ringTimeoutMs: 0, ...input }));
}

/** Adds an agent, logs it in and makes it ready; returns the outcome of Ready (offers it triggered). */
export function readyAgent(w: World, input: AgentInput): Outcome {
  must(w.cti.addAgent(input));
  must(w.cti.login(input.id));
  return must(w.cti.ready(input.id));
}

export function stateOf(w: World, agentId: string): AgentState {
  return must(w.cti.agentView(agentId)).state;
}

export function offered(outcome: Outcome): string[] {
  return outcome.offers.map((o) => `${o.contactId}->${o.agentId}`);
}

export function arrive(w: World, contactId: string, queueId: string): Outcome {
  return must(w.cti.contactArrived({ contactId, queueId }));
}
