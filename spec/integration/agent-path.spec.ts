import { MongoClient } from 'mongodb';
import { EXCHANGES } from '../../lib/bus/topology';
import { agentEvents, agentIdOf, callAnsweredBy, registerPhone } from '../support/agents';
import { leftInAsterisk } from '../support/ari';
import { BusObserver, eventually } from '../support/bus-observer';
import { storedAgentStates } from '../support/agent-states';
import { expect } from '../support/chai';
import { mongoUri, requireSystem } from '../support/servers';

/**
 * S219-S241 on real parts: a caller is queued (called number 200 goes straight to the sales queue), CTI
 * picks the Ready agent, SoftACD rings the agent's registered SIP phone (sipp), bridges caller and agent
 * when it answers, and clears the call when the caller hangs up.
 */
describe('agent path: queue, DivertCall, agent phone, bridge, release', function () {
  this.timeout(60_000);
  const bus = new BusObserver();
  let agentId = '';

  before(async () => {
    await requireSystem(['rabbitmq', 'asterisk', 'docstore', 'softacd', 'ivr', 'cti']);
    await bus.start([EXCHANGES.events, EXCHANGES.commands]);
    agentId = await agentIdOf('1001');
    await registerPhone('agent1001', 5201);
  });
  after(async () => {
    await agentEvents(agentId, ['AgentLogout']).catch(() => undefined);
    await bus.stop();
  });

  it('rings the Ready agent, bridges the call, and releases both legs when the caller hangs up', async () => {
    const caller = '15557770001';
    const { call, phone: agentSide } = await callAnsweredBy({
      login: '1001',
      others: ['1002', '1004'],
      phonePort: 5201,
      ringMs: 1000,
      caller: {
        scenario: 'uac-audio.xml',
        service: '200',
        localPort: 5202,
        holdMs: 6000,
        number: caller,
        name: 'Agent Path',
      },
    });
    expect(call.code, `caller sipp failed:\n${call.stdout.slice(-1200)}`).to.equal(0);
    expect(agentSide.code, `agent sipp failed:\n${agentSide.stdout.slice(-1200)}`).to.equal(0);

    const delivered = await eventually('the call delivered', () =>
      bus.seen.find((s) => s.body.type === 'CallDelivered' && s.body.callingNumber === caller),
    );
    const contactId = String(delivered.body.contactId);
    await eventually('ConnectionCleared', () =>
      bus.forContact(contactId).some((s) => s.body.type === 'ConnectionCleared'),
    );
    // Sales records its calls (queue setting): the recording's metadata follows the bridge's end.
    await eventually('RecordingStored', () =>
      bus.forContact(contactId).some((s) => s.body.type === 'RecordingStored'),
    );
    await new Promise((r) => setTimeout(r, 300));
    const seen = bus.forContact(contactId);
    const labels = seen.map((s) => {
      const to = s.body.deliveredTo as { kind: string } | undefined;
      return to ? `${String(s.body.type)}(${to.kind})` : String(s.body.type);
    });
    expect([...labels].sort()).to.deep.equal(
      [
        'CallDelivered(acd)',
        'RouteRequest',
        'RouteSelect',
        'RouteEnd',
        'CallDelivered(ivr)',
        'AgentRequest',
        'DivertCall',
        'CallDiverted',
        'CallDelivered(agent)',
        'ReleaseIvr',
        'Established',
        'RecordCall',
        'RecordingStored',
        'ConnectionCleared',
      ].sort(),
    );
    const at = (l: string) => labels.indexOf(l);
    for (const [a, b] of [
      ['RouteRequest', 'RouteSelect'],
      ['RouteSelect', 'DivertCall'],
      ['DivertCall', 'CallDiverted'],
      ['CallDiverted', 'CallDelivered(agent)'],
      ['CallDelivered(agent)', 'ReleaseIvr'],
      ['ReleaseIvr', 'Established'],
      ['Established', 'RecordCall'],
      ['RecordCall', 'RecordingStored'],
      ['Established', 'ConnectionCleared'],
    ] as const) {
      expect(at(a), `${a} before ${b} in ${labels.join(', ')}`).to.be.lessThan(at(b));
    }
    const body = (type: string) => seen.find((s) => s.body.type === type)?.body ?? {};
    expect(body('RouteSelect').destination).to.deep.equal({ kind: 'queue', queueId: 'sales' });
    expect(body('DivertCall')).to.include({ agentId, endpoint: 'PJSIP/agent1001' });
    expect(body('Established')).to.include({ agentId });
    expect(body('ConnectionCleared')).to.include({ releasedBy: 'caller', stage: 'talking' });
    const requested = Date.parse(String(body('RouteSelect').at));
    const ringing = Date.parse(
      String(seen.find((s) => labels[seen.indexOf(s)] === 'CallDelivered(agent)')?.body.at),
    );
    console.log(`      agent request -> agent phone ringing: ${ringing - requested} ms`);

    // CTI stored the agent's states and the contact's summary.
    const mongo = new MongoClient(mongoUri(), { serverSelectionTimeoutMS: 3000 });
    try {
      const db = mongo.db();
      const states = await storedAgentStates(db, { agentId, contactId }, (seen) => seen.includes('wrap-up'));
      expect(states).to.deep.equal(['reserved', 'ringing', 'talking', 'wrap-up']);
      const doc = await eventually('interaction cleared', async () => {
        const d = await db.collection('interactions').findOne({ _id: contactId as never });
        return d?.state === 'cleared' ? d : undefined;
      });
      expect(doc).to.include({ agentId, queueId: 'sales', abandoned: false });
      expect(doc.answeredAt).to.be.instanceOf(Date);
    } finally {
      await mongo.close();
    }

    const left = await leftInAsterisk();
    expect(left.channels).to.deep.equal([]);
    expect(left.bridges).to.deep.equal([]);
  });
});
