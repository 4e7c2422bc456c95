import { MongoClient } from 'mongodb';
import { EXCHANGES } from '../../lib/bus/topology';
import { agentEvents, agentIdOf, registerPhone } from '../support/agents';
import { leftInAsterisk } from '../support/ari';
import { BusObserver, eventually } from '../support/bus-observer';
import { storedAgentStates } from '../support/agent-states';
import { expect } from '../support/chai';
import { mongoUri, requireSystem } from '../support/servers';
import { sipp } from '../support/sipp';

/**
 * Ring-no-answer on real phones: the first agent's phone rings out the queue's ring time (20 s for
 * sales), that agent goes not-ready and the caller goes back to the head of the queue; the next agent
 * to become ready is offered the call at once; the caller hanging up while it rings stops that phone.
 */
describe('ring-no-answer, re-queue at the head, caller hangs up while the next agent rings', function () {
  this.timeout(90_000);
  const bus = new BusObserver();
  let first = '';
  let second = '';

  before(async () => {
    await requireSystem(['rabbitmq', 'asterisk', 'docstore', 'softacd', 'ivr', 'cti']);
    await bus.start([EXCHANGES.events, EXCHANGES.commands]);
    [first, second] = await Promise.all([agentIdOf('1004'), agentIdOf('1001')]);
    const other = await agentIdOf('1002');
    // Only the agents of this test may take sales calls.
    await agentEvents(other, ['AgentLogout']);
    await agentEvents(second, ['AgentLogout']);
    await registerPhone('agent1004', 5204);
    await registerPhone('agent1001', 5201);
  });
  after(async () => {
    await agentEvents(first, ['AgentLogout']).catch(() => undefined);
    await agentEvents(second, ['AgentLogout']).catch(() => undefined);
    await bus.stop();
  });

  it('times the first agent out, offers the next ready agent, and clears cleanly while it rings', async () => {
    await agentEvents(first, ['AgentLogin', 'AgentReady']);
    const firstPhone = sipp('agent-noanswer.xml', { service: 'agent1004', localPort: 5204 });
    const secondPhone = sipp('agent-noanswer.xml', { service: 'agent1001', localPort: 5201 });
    await new Promise((r) => setTimeout(r, 300));
    const caller = '15558880001';
    const call = sipp('uac-audio.xml', {
      service: '200',
      localPort: 5205,
      holdMs: 26_000,
      vars: { caller, caller_name: 'RNA' },
    });

    const delivered = await eventually('call delivered', () =>
      bus.seen.find((s) => s.body.type === 'CallDelivered' && s.body.callingNumber === caller),
    );
    const contactId = String(delivered.body.contactId);
    const divertsTo = () =>
      bus
        .forContact(contactId)
        .filter((s) => s.body.type === 'DivertCall')
        .map((s) => s.body.agentId);
    await eventually('offered to the first agent', () => divertsTo().includes(first));
    const offeredAt = Date.now();
    // The ring time runs out: the first agent becomes not-ready (CTI's timer or SoftACD's DivertFailed).
    const mongo = new MongoClient(mongoUri(), { serverSelectionTimeoutMS: 3000 });
    try {
      const db = mongo.db();
      await eventually(
        'first agent not-ready after ring-no-answer',
        async () =>
          (await db.collection('agentstates').findOne({ agentId: first, contactId, state: 'not-ready' })) ??
          undefined,
        30_000,
      );
      const rang = (Date.now() - offeredAt) / 1000;
      expect(rang, 'seconds the first phone rang').to.be.within(18, 26);
      await agentEvents(second, ['AgentLogin', 'AgentReady']);
      await eventually('offered to the second agent', () => divertsTo().includes(second));
      await eventually('second phone ringing', () =>
        bus
          .forContact(contactId)
          .some((s) => (s.body.deliveredTo as { agentId?: string } | undefined)?.agentId === second),
      ).catch((err: Error) => {
        const seen = bus
          .forContact(contactId)
          .map((s) => `${String(s.body.type)} ${JSON.stringify(s.body.deliveredTo ?? s.body.agentId ?? '')}`);
        throw new Error(`${err.message}; seen: ${seen.join(', ')}`);
      });

      const run = await call;
      expect(run.code, run.stdout.slice(-800)).to.equal(0);
      const [p1, p2] = await Promise.all([firstPhone, secondPhone]);
      expect(p1.code, `first phone: ${p1.stdout.slice(-600)}`).to.equal(0);
      expect(p2.code, `second phone: ${p2.stdout.slice(-600)}`).to.equal(0);

      await eventually('cleared', () =>
        bus.forContact(contactId).some((s) => s.body.type === 'ConnectionCleared'),
      );
      const cleared = bus.forContact(contactId).filter((s) => s.body.type === 'ConnectionCleared');
      expect(cleared).to.have.length(1);
      expect(cleared[0]?.body).to.include({ releasedBy: 'caller', stage: 'ringing' });
      expect(divertsTo()).to.deep.equal([first, second]);

      const firstStates = await storedAgentStates(db, { agentId: first, contactId }, (seen) =>
        seen.some((x) => x.startsWith('not-ready:')),
      );
      expect(firstStates[0]).to.equal('reserved');
      expect(firstStates.at(-1)).to.match(/^not-ready:/);
      const doc = await eventually('interaction cleared', async () => {
        const d = await db.collection('interactions').findOne({ _id: contactId as never });
        return d?.state === 'cleared' ? d : undefined;
      });
      const types = (doc.timeline as Array<{ type: string }>).map((t) => t.type);
      expect(types).to.include('Requeued');
      expect(doc).to.include({ abandoned: true });
      // The second agent's offer was cancelled by the caller: it is ready again, not stuck in ringing.
      const last = await db
        .collection('agentstates')
        .find({ agentId: second })
        .sort({ at: -1 })
        .limit(1)
        .next();
      expect(last?.state).to.equal('ready');
    } finally {
      await mongo.close();
    }
    const left = await leftInAsterisk();
    expect(left.channels).to.deep.equal([]);
    expect(left.bridges).to.deep.equal([]);
  });
});
