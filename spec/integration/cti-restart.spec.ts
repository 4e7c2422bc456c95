import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { EXCHANGES } from '../../lib/bus/topology';
import { agentEvents, agentIdOf, registerPhone } from '../support/agents';
import { leftInAsterisk } from '../support/ari';
import { BusObserver, eventually } from '../support/bus-observer';
import { expect } from '../support/chai';
import { stateOf } from '../support/cti-restart';
import { crash, start } from '../support/processes';
import { mongoUri, requireSystem } from '../support/servers';
import { sipp } from '../support/sipp';

/**
 * CTI killed with -9 while one caller talks to an agent and others wait in the sales queue, one of whom
 * hangs up while CTI is down. The restarted CTI comes back from its stored state: the call in progress
 * goes on and ends normally (wrap-up, ready), the waiting callers are offered in their order, the one
 * who left is cleared once, and the agents' clients see the states they had.
 */
describe('CTI kill -9 and restart with a call in progress and callers queued', function () {
  this.timeout(120_000);
  const bus = new BusObserver();
  const mongo = new MongoClient(mongoUri(), { serverSelectionTimeoutMS: 3000 });
  let a = '';
  let b = '';

  before(async () => {
    await requireSystem(['rabbitmq', 'asterisk', 'docstore', 'softacd', 'ivr', 'cti']);
    await mongo.connect();
    await bus.start([EXCHANGES.events, EXCHANGES.commands]);
    [a, b] = await Promise.all([agentIdOf('1001'), agentIdOf('1002')]);
    // Only this test's agents in sales: 1001 takes calls, 1002 is signed in but not ready.
    for (const other of ['1004']) await agentEvents(await agentIdOf(other), ['AgentLogout']);
    await agentEvents(a, ['AgentLogout']);
    await agentEvents(b, ['AgentLogout', 'AgentLogin', { notReady: 'break' }]);
    await registerPhone('agent1001', 5231);
  });
  after(async () => {
    await agentEvents(a, ['AgentLogout']).catch(() => undefined);
    await agentEvents(b, ['AgentLogout']).catch(() => undefined);
    await bus.stop();
    await mongo.close();
  });

  it('keeps the call, the queue and the agent states, and routes on after the restart', async () => {
    const db = mongo.db();
    const since = new Date();
    await agentEvents(a, ['AgentLogin', 'AgentReady']);
    // The agent's phone answers two calls, each after ringing 1 s.
    const phone = sipp('agent-answer.xml', {
      service: 'agent1001',
      localPort: 5231,
      holdMs: 1000,
      calls: 2,
      timeoutSec: 80,
    });
    await new Promise((r) => setTimeout(r, 300));
    const caller = (n: string, port: number, holdMs: number) =>
      sipp('uac-audio.xml', {
        service: '200',
        localPort: port,
        holdMs,
        timeoutSec: 80,
        vars: { caller: n, caller_name: 'Restart' },
      });
    const contactOf = async (n: string) =>
      String(
        (
          await eventually(`call from ${n} delivered`, () =>
            bus.seen.find((s) => s.body.type === 'CallDelivered' && s.body.callingNumber === n),
          )
        ).body.contactId,
      );
    const is = (type: string, contactId: string) => (s: { body: Record<string, unknown> }) =>
      s.body.type === type && s.body.contactId === contactId;

    // c1 talks with agent 1001; c2, c3, c4 wait in sales behind it, in that order.
    const call1 = caller('15553330001', 5232, 14_000);
    const c1 = await contactOf('15553330001');
    await eventually('c1 established', () => bus.seen.some(is('Established', c1)), 15_000);
    const call2 = caller('15553330002', 5233, 34_000);
    const c2 = await contactOf('15553330002');
    await eventually('c2 queued', () => bus.seen.some(is('AgentRequest', c2)));
    const call3 = caller('15553330003', 5234, 30_000);
    const c3 = await contactOf('15553330003');
    await eventually('c3 queued', () => bus.seen.some(is('AgentRequest', c3)));
    const call4 = caller('15553330004', 5235, 4_000);
    const c4 = await contactOf('15553330004');
    await eventually('c4 queued', () => bus.seen.some(is('AgentRequest', c4)));
    // Let the write-behind store the last change, as it would have in the normal run of things.
    await new Promise((r) => setTimeout(r, 300));
    const beforeA = await stateOf(a);
    const beforeB = await stateOf(b);
    expect(beforeA).to.include({ state: 'talking', contactId: c1 });
    expect(beforeB).to.include({ state: 'not-ready', reason: 'break' });

    const killedAt = Date.now();
    await crash('cti');
    // c4 hangs up while CTI is down: its ConnectionCleared waits in CTI's queue.
    const run4 = await call4;
    expect(run4.code, run4.stdout.slice(-800)).to.equal(0);
    const downMs = Date.now() - killedAt;
    const startedAt = Date.now();
    await start('cti');
    // Recovery: the agent's client reconnects (every 100 ms) until CTI answers with its state.
    const afterA = await eventually(
      'agent client reconnected',
      () => stateOf(a).catch(() => undefined),
      20_000,
    );
    const serving = Date.now() - startedAt;
    expect(afterA).to.include({ state: 'talking', contactId: c1 });
    expect(await stateOf(b)).to.include({ state: 'not-ready', reason: 'break' });
    const log = (await readFile(path.join(process.env.IPCC_RUN ?? '.run', 'logs', 'cti.log'), 'utf8'))
      .trim()
      .split('\n')
      .flatMap((l) => {
        try {
          return [JSON.parse(l) as { message: string; timestamp: string; ms?: number; contacts?: number }];
        } catch {
          return []; // a runtime's own output (a warning, a stack) between the JSON lines
        }
      })
      .filter((l) => Date.parse(l.timestamp) >= startedAt);
    const restored = log.find((l) => l.message === 'CTI state restored');
    const ready = log.find((l) => l.message === 'CTI ready');
    expect(restored, 'CTI logged its restore').to.not.equal(undefined);
    // The kill came before c4's hang-up was handled: c1, c2, c3, c4 were all in the stored state.
    expect(restored?.contacts).to.equal(4);
    console.log(
      `      CTI down ${downMs} ms (kill -9, c4 hung up); after start: state restored in ${restored?.ms} ms, ` +
        `ready (consuming) ${ready === undefined ? '?' : Date.parse(ready.timestamp) - startedAt} ms, ` +
        `agent client served ${serving} ms`,
    );

    // c4 left while CTI was down: cleared once, abandoned, never offered.
    await eventually('c4 cleared in the store', async () => {
      const d = await db.collection('interactions').findOne({ _id: c4 as never });
      return d?.state === 'cleared' ? d : undefined;
    });

    // c1 ends normally: agent 1001 wraps up, becomes ready and is offered c2 (the head), not c3.
    const run1 = await call1;
    expect(run1.code, run1.stdout.slice(-800)).to.equal(0);
    await eventually('c2 offered to agent 1001', () => bus.seen.some((s) => is('DivertCall', c2)(s)), 30_000);
    expect(
      bus.seen.find((s) => s.body.type === 'DivertCall' && s.body.contactId === c2)?.body.agentId,
    ).to.equal(a);
    expect(bus.seen.some(is('DivertCall', c3)), 'c3 offered before c2').to.equal(false);
    expect(bus.seen.some(is('ConnectionCleared', c3)), 'c3 left before c2 was offered').to.equal(false);
    await eventually('c2 established', () => bus.seen.some(is('Established', c2)), 10_000);

    const [run2, run3, agentSide] = await Promise.all([call2, call3, phone]);
    expect(run3.code, run3.stdout.slice(-800)).to.equal(0);
    expect(run2.code, run2.stdout.slice(-800)).to.equal(0);
    expect(agentSide.code, agentSide.stdout.slice(-800)).to.equal(0);
    for (const c of [c1, c2, c3, c4])
      await eventually(`ConnectionCleared for ${c}`, () => bus.seen.some(is('ConnectionCleared', c)));
    await new Promise((r) => setTimeout(r, 1000));

    // Exactly one ConnectionCleared per call on the bus and in each timeline; nothing reconciled away.
    for (const c of [c1, c2, c3, c4]) {
      expect(bus.seen.filter(is('ConnectionCleared', c)), c).to.have.length(1);
      // Timelines are written once a contact goes quiet (CTI_HISTORY_QUIET_MS, at most CTI_HISTORY_HOLD_MS).
      const doc = await eventually(`${c} cleared in the store`, async () => {
        const d = await db.collection('interactions').findOne({ _id: c as never });
        return d?.state === 'cleared' ? d : undefined;
      });
      const types = (doc?.timeline as Array<{ type: string }>).map((t) => t.type);
      expect(
        types.filter((t) => t === 'ConnectionCleared'),
        `${c}: ${types.join(',')}`,
      ).to.have.length(1);
      expect(types, c).to.not.include('Reconciled');
      expect(doc?.state, c).to.equal('cleared');
    }
    const c4doc = await db.collection('interactions').findOne({ _id: c4 as never });
    expect(c4doc).to.include({ abandoned: true });
    expect(bus.seen.some(is('DivertCall', c4))).to.equal(false);
    const c1cleared = bus.seen.find(is('ConnectionCleared', c1));
    expect(c1cleared?.body).to.include({ releasedBy: 'caller', stage: 'talking' });

    // Agent 1001: c1 talking -> wrap-up -> ready -> c2 -> talking -> wrap-up; each step stored once.
    const rows = await db
      .collection('agentstates')
      .find({ agentId: a, at: { $gte: since } })
      .sort({ at: 1 })
      .toArray();
    const steps = rows.map((r) => `${String(r.state)}${r.contactId ? `@${String(r.contactId)}` : ''}`);
    const talking1 = steps.indexOf(`talking@${c1}`);
    expect(talking1, steps.join(' ')).to.be.greaterThan(-1);
    expect(steps.slice(talking1, talking1 + 4), steps.join(' ')).to.deep.equal([
      `talking@${c1}`,
      `wrap-up@${c1}`,
      'ready',
      `reserved@${c2}`,
    ]);
    expect(steps.filter((s) => s === `talking@${c1}`)).to.have.length(1);
    expect(steps, steps.join(' ')).to.include(`talking@${c2}`);
    expect(await stateOf(b)).to.include({ state: 'not-ready', reason: 'break' });
    const left = await leftInAsterisk();
    expect(left.channels).to.deep.equal([]);
    expect(left.bridges).to.deep.equal([]);
  });
});
