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

/** A world with agents and contacts in every state, timers armed and handle-time history. */
export function busyWorld(): World {
  const w = world();
  queue(w, { id: 'q', channel: 'voice', ringTimeoutMs: 20_000, wrapUpMs: 5000, queueTimeoutMs: 90_000 });
  queue(w, { id: 'mail', channel: 'email', skills: [{ name: 'en', minLevel: 2 }], policy: 'least-calls' });
  queue(w, {
    id: 'hi',
    channel: 'voice',
    priority: 3,
    policy: 'highest-skill',
    skills: [{ name: 'en', minLevel: 1 }],
  });
  readyAgent(w, { id: 'talker', skills: { en: 3 } });
  arrive(w, 'done', 'q');
  must(w.cti.answered('done'));
  w.clock.advance(30_000);
  must(w.cti.released('done'));
  must(w.cti.ready('talker'));
  arrive(w, 'talk', 'q');
  must(w.cti.answered('talk'));
  must(w.cti.held('talk'));
  readyAgent(w, { id: 'ringer', skills: { en: 5 } });
  arrive(w, 'ring', 'hi');
  must(w.cti.ringing('ring'));
  readyAgent(w, { id: 'mailer', skills: { en: 2 }, maxTasks: { voice: 0, video: 0 } });
  arrive(w, 'm1', 'mail');
  must(w.cti.addAgent({ id: 'off' }));
  must(w.cti.addAgent({ id: 'paused', skills: { en: 9 } }));
  must(w.cti.login('paused'));
  w.clock.advance(1000);
  arrive(w, 'wait1', 'q');
  w.clock.advance(1000);
  arrive(w, 'wait2', 'q');
  must(w.cti.callbackRequested('wait2'));
  return w;
}
