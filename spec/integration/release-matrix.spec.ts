import { MongoClient } from 'mongodb';
import { EXCHANGES } from '../../lib/bus/topology';
import { AgentClient } from '../support/agent-client';
import { agentEvents, agentIdOf, registerPhone } from '../support/agents';
import { AriObserver, leftInAsterisk } from '../support/ari';
import { BusObserver, eventually, type Seen } from '../support/bus-observer';
import { expect } from '../support/chai';
import { freeze } from '../support/processes';
import { mongoUri, requireSystem } from '../support/servers';
import { SippRun, sipp } from '../support/sipp';

/**
 * Release at every stage, by each side (issue 3): whoever ends the call, the other legs are hung up,
 * ConnectionCleared is published exactly once, and no channel, bridge or playback is left in Asterisk.
 * One row per stage and side; the sales queue (called number 200) with agent 1001 only, whose phone
 * (sipp, registered at 5470) answers, rings out, rejects or hangs up as the row says. SIP ports
 * 5470-5479. Stage `routing` holds CTI (SIGSTOP) so the caller can leave before any route is chosen;
 * a caller who leaves while queued is reported with stage `ivr`: queueing is the IVR's, SoftACD does
 * not see it (the store's timeline has the Queued entry).
 */
interface Row {
  name: string;
  releasedBy: 'caller' | 'agent';
  stage: 'routing' | 'ivr' | 'queue' | 'ringing' | 'talking';
  /** Agent 1001 ready for the call (otherwise not ready: nobody takes it). */
  agentReady: boolean;
  /** The agent's state once the call is over (the last row stored for it). */
  agentAfter?: string;
  /** Places the call and does what the row is about; resolves with the sipp runs to check. */
  play: (t: Tools) => Promise<SippRun[]>;
  /** Further checks on what crossed the bus for the contact. */
  check?: (seen: Seen[]) => void;
}

interface Tools {
  caller: (scenario: string, service: string, holdMs: number) => Promise<SippRun>;
  phone: (scenario: string, holdMs: number) => Promise<SippRun>;
  contactId: () => Promise<string>;
  seen: (type: string) => Seen | undefined;
  client: AgentClient;
}

const ROWS: Row[] = [
  {
    name: 'caller hangs up during routing, before the IVR answers',
    releasedBy: 'caller',
    stage: 'routing',
    agentReady: false,
    play: async (t) => {
      await freeze('cti', true);
      try {
        const call = t.caller('uac-cancel.xml', '200', 1500);
        await t.contactId();
        await eventually('cleared while CTI is held', () => t.seen('ConnectionCleared'), 10_000);
        return [await call];
      } finally {
        await freeze('cti', false);
      }
    },
    check: (seen) => expect(seen.map((s) => s.body.type)).to.not.include('RouteEnd'),
  },
  {
    name: 'caller hangs up in the IVR',
    releasedBy: 'caller',
    stage: 'ivr',
    agentReady: false,
    play: async (t) => [await t.caller('uac-audio.xml', '100', 2500)],
  },
  {
    name: 'caller hangs up while queued',
    releasedBy: 'caller',
    stage: 'ivr',
    agentReady: false,
    play: async (t) => {
      const call = t.caller('uac-audio.xml', '200', 4000);
      await t.contactId();
      await eventually('queued', () => t.seen('AgentRequest'));
      return [await call];
    },
  },
  {
    name: 'caller hangs up while the agent rings',
    releasedBy: 'caller',
    stage: 'ringing',
    agentReady: true,
    agentAfter: 'ready',
    play: async (t) => {
      const phone = t.phone('agent-noanswer.xml', 0);
      await new Promise((r) => setTimeout(r, 300));
      return [await t.caller('uac-audio.xml', '200', 4000), await phone];
    },
    check: (seen) => expect(seen.map((s) => s.body.type)).to.include('CallDiverted'),
  },
  {
    name: 'caller hangs up while talking',
    releasedBy: 'caller',
    stage: 'talking',
    agentReady: true,
    agentAfter: 'wrap-up',
    play: async (t) => {
      const phone = t.phone('agent-answer.xml', 500);
      await new Promise((r) => setTimeout(r, 300));
      return [await t.caller('uac-audio.xml', '200', 6000), await phone];
    },
    check: (seen) => expect(seen.map((s) => s.body.type)).to.include('Established'),
  },
  {
    name: 'agent rejects while ringing (486), then the caller hangs up in the queue',
    releasedBy: 'caller',
    stage: 'queue',
    agentReady: true,
    agentAfter: 'not-ready',
    play: async (t) => {
      const phone = t.phone('agent-busy.xml', 1000);
      await new Promise((r) => setTimeout(r, 300));
      const call = t.caller('uac-audio.xml', '200', 6000);
      const phoneRun = await phone;
      await eventually('DivertFailed', () => t.seen('DivertFailed'));
      return [await call, phoneRun];
    },
    check: (seen) => {
      const failed = seen.find((s) => s.body.type === 'DivertFailed');
      expect(failed?.body).to.include({ reason: 'busy' });
    },
  },
  {
    name: 'agent hangs up while talking',
    releasedBy: 'agent',
    stage: 'talking',
    agentReady: true,
    agentAfter: 'wrap-up',
    play: async (t) => {
      const phone = t.phone('agent-bye.xml', 3000);
      await new Promise((r) => setTimeout(r, 300));
      const call = t.caller('ivr-wait-bye.xml', '200', 0);
      return [await phone, await call];
    },
  },
  {
    name: 'agent hangs up while the caller is on hold',
    releasedBy: 'agent',
    stage: 'talking',
    agentReady: true,
    agentAfter: 'wrap-up',
    play: async (t) => {
      const phone = t.phone('agent-bye.xml', 5000);
      await new Promise((r) => setTimeout(r, 300));
      const call = t.caller('ivr-wait-bye.xml', '200', 0);
      const contactId = await t.contactId();
      await eventually('established', () => t.seen('Established'), 15_000);
      t.client.send({ type: 'hold', contactId });
      await eventually('held', () => t.seen('Held'), 5000);
      return [await phone, await call];
    },
    check: (seen) => expect(seen.map((s) => s.body.type)).to.include('Held'),
  },
];

describe('release at every stage by each side: one ConnectionCleared, nothing left in Asterisk', function () {
  this.timeout(90_000);
  const bus = new BusObserver();
  const observer = new AriObserver();
  const mongo = new MongoClient(mongoUri(), { serverSelectionTimeoutMS: 3000 });
  const client = new AgentClient();
  let agent = '';

  before(async () => {
    await requireSystem(['rabbitmq', 'asterisk', 'docstore', 'softacd', 'ivr', 'cti']);
    await bus.start([EXCHANGES.events, EXCHANGES.commands]);
    await observer.start();
    await mongo.connect();
    agent = await agentIdOf('1001');
    for (const other of ['1002', '1004']) await agentEvents(await agentIdOf(other), ['AgentLogout']);
    await registerPhone('agent1001', 5470);
    await client.connect();
    client.send({ type: 'auth', token: AgentClient.tokenFor(agent) });
    await eventually('welcome', () => client.of('welcome')[0]);
  });
  after(async () => {
    client.close();
    await agentEvents(agent, ['AgentLogout']).catch(() => undefined);
    observer.stop();
    await bus.stop();
    await mongo.close();
  });

  ROWS.forEach((row, i) => {
    it(`${row.name}: ConnectionCleared once (${row.releasedBy}, ${row.stage})`, async () => {
      const number = `1555440${String(i).padStart(4, '0')}`;
      await agentEvents(agent, ['AgentLogin', row.agentReady ? 'AgentReady' : { notReady: 'matrix' }]);
      await new Promise((r) => setTimeout(r, 300));
      const valid = () => bus.seen.filter((s) => typeof s.body.type === 'string');
      let contact: string | undefined;
      const contactId = async () => {
        contact ??= String(
          (
            await eventually('call delivered', () =>
              valid().find((s) => s.body.type === 'CallDelivered' && s.body.callingNumber === number),
            )
          ).body.contactId,
        );
        return contact;
      };
      const forContact = () => {
        contact ??= valid().find((s) => s.body.type === 'CallDelivered' && s.body.callingNumber === number)
          ?.body.contactId as string | undefined;
        return contact === undefined ? [] : valid().filter((s) => s.body.contactId === contact);
      };
      const tools: Tools = {
        caller: (scenario, service, holdMs) =>
          sipp(scenario, {
            service,
            localPort: 5471 + (i % 8),
            holdMs,
            vars: { caller: number, caller_name: 'Matrix' },
          }),
        phone: (scenario, holdMs) => sipp(scenario, { service: 'agent1001', localPort: 5470, holdMs }),
        contactId,
        seen: (type) => forContact().find((s) => s.body.type === type),
        client,
      };
      const runs = await row.play(tools);
      const id = await contactId();
      for (const run of runs) expect(run.code, run.stdout.slice(-800)).to.equal(0);

      await eventually('ConnectionCleared', () => tools.seen('ConnectionCleared'), 15_000);
      await new Promise((r) => setTimeout(r, 1500)); // room for a duplicate to show up
      const cleared = forContact().filter((s) => s.body.type === 'ConnectionCleared');
      expect(cleared, 'ConnectionCleared').to.have.length(1);
      expect(cleared[0]?.body).to.include({ releasedBy: row.releasedBy, stage: row.stage });
      row.check?.(forContact());

      const left = await leftInAsterisk();
      expect(left.channels, 'channels left').to.deep.equal([]);
      expect(left.bridges, 'bridges left').to.deep.equal([]);
      // Every playback Asterisk started on the call's channels (the caller's, and the legs named after
      // the contact) ended.
      const callerChannel = String(tools.seen('CallDelivered')?.body.channelId);
      const started = new Set<string>();
      const finished = new Set<string>();
      for (const e of observer.events) {
        const target = e.playback?.target_uri ?? '';
        if (target !== `channel:${callerChannel}` && !target.includes(id)) continue;
        if (e.type === 'PlaybackStarted') started.add(e.playback?.id ?? '');
        if (e.type === 'PlaybackFinished') finished.add(e.playback?.id ?? '');
      }
      expect(
        [...started].filter((p) => !finished.has(p)),
        'playbacks not finished',
      ).to.deep.equal([]);

      const db = mongo.db();
      const doc = await eventually('interaction cleared', async () => {
        const d = await db.collection('interactions').findOne({ _id: id as never });
        return d?.state === 'cleared' ? d : undefined;
      });
      if (row.stage === 'ivr' && row.name.includes('queued'))
        expect((doc.timeline as Array<{ type: string }>).map((t) => t.type)).to.include('Queued');
      if (row.agentAfter !== undefined) {
        const last = await db
          .collection('agentstates')
          .find({ agentId: agent })
          .sort({ at: -1, _id: -1 })
          .limit(1)
          .next();
        expect(last?.state, 'agent state afterwards').to.equal(row.agentAfter);
      }
    });
  });
});
