import { statSync } from 'node:fs';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { EXCHANGES } from '../../lib/bus/topology';
import { sipPassword } from '../../stasis-app/provisioning/agent-endpoints';
import { agentEvents, agentIdOf, registerPhone } from '../support/agents';
import { AriObserver, type AriEvent } from '../support/ari';
import { BusObserver, eventually, type Seen } from '../support/bus-observer';
import { expect } from '../support/chai';
import { freeze } from '../support/processes';
import { mongoUri, requireSystem } from '../support/servers';
import { publishCommand } from '../support/softacd-commands';
import { type SippRun, sipp } from '../support/sipp';

/**
 * Desk-phone feature codes (issue 11) on real parts: agent 1004's SIP phone (sipp) dials *61, *63, *62,
 * *64N and 9<number> as INVITEs from [from-agents]; SoftACD asks CTI (AgentFeature), speaks the outcome
 * and hangs up, or dials out through `outside` (a sipp UAS on 5090). The spoken prompt is checked in
 * Asterisk (the playback on the phone's channel, played to its end, the BYE only after it). Ports: the
 * phone registers at 5481 (calls reach it there), dials from 5482; caller 5483; media 17500-17560.
 * The SoftACD-only cases hold CTI (SIGSTOP) and answer AgentFeature on the bus themselves.
 */
describe('desk phone feature codes: spoken outcome, a queued call, dialling out', function () {
  this.timeout(90_000);
  const bus = new BusObserver();
  const observer = new AriObserver();
  const mongo = new MongoClient(mongoUri(), { serverSelectionTimeoutMS: 3000 });
  let agent = '';
  const password = () => sipPassword(process.env.AGENT_SIP_SECRET ?? '', 'agent1004');
  const prompts = path.resolve(__dirname, '..', '..', 'asterisk', 'prompts', 'build');
  /** A prompt's length in ms, from its 8 kHz mu-law file (8,000 bytes a second). */
  const promptMs = (name: string) => statSync(path.join(prompts, `${name}.ulaw`)).size / 8;

  before(async () => {
    await requireSystem(['rabbitmq', 'asterisk', 'docstore', 'softacd', 'ivr', 'cti']);
    await bus.start([EXCHANGES.events, EXCHANGES.commands]);
    await observer.start();
    await mongo.connect();
    agent = await agentIdOf('1004');
    for (const other of ['1001', '1002', '1003']) await agentEvents(await agentIdOf(other), ['AgentLogout']);
    await agentEvents(agent, ['AgentLogout']);
    await registerPhone('agent1004', 5481);
  });
  after(async () => {
    await agentEvents(agent, ['AgentLogout']).catch(() => undefined);
    observer.stop();
    await bus.stop();
    await mongo.close();
  });

  const ok = (run: SippRun, who: string) =>
    expect(run.code, `${who} sipp failed:\n${run.stdout.slice(-1500)}`).to.equal(0);
  const valid = () => bus.seen.filter((s) => typeof s.body.type === 'string');
  const forContact = (contactId: string) => valid().filter((s) => s.body.contactId === contactId);

  /** The phone's own call (its INVITE), not a leg SoftACD originates to it (named after a contact). */
  const phoneCreated = (e: AriEvent) =>
    e.type === 'ChannelCreated' && e.channel?.name.startsWith('PJSIP/agent1004-') === true;

  /** The phone dials `code`; resolves with sipp's run and the phone's channel id in Asterisk. */
  async function dialCode(code: string, extra: string[] = []): Promise<{ run: SippRun; channelId: string }> {
    const mark = observer.events.length;
    const run = await sipp('agent-feature.xml', {
      service: code,
      localPort: 5482,
      vars: { endpoint: 'agent1004' },
      extra: ['-au', 'agent1004', '-ap', password(), '-mp', '17500', ...extra],
      timeoutSec: 40,
    });
    const start = observer.events.slice(mark).find(phoneCreated);
    expect(start, `the phone's channel for ${code}`).to.not.equal(undefined);
    return { run, channelId: String(start?.channel?.id) };
  }

  /** `prompt` was played to the phone to its end, and the phone hung up only after it. */
  async function spoken(channelId: string, prompt: string): Promise<void> {
    const on = (e: AriEvent) => e.playback?.target_uri === `channel:${channelId}`;
    const started = await eventually('PlaybackStarted', () =>
      observer.events.find((e) => e.type === 'PlaybackStarted' && on(e)),
    );
    expect(started.playback?.media_uri).to.equal(`sound:ipcc/${prompt}`);
    const finished = await eventually('PlaybackFinished', () =>
      observer.events.find((e) => e.type === 'PlaybackFinished' && on(e)),
    );
    expect(finished.playback?.state).to.equal('done');
    const destroyed = await eventually('phone hung up', () =>
      observer.events.find((e) => e.type === 'ChannelDestroyed' && e.channel?.id === channelId),
    );
    const heardMs = Date.parse(String(destroyed.timestamp)) - Date.parse(String(started.timestamp));
    expect(heardMs, 'hung up after the whole prompt').to.be.at.least(promptMs(prompt) - 100);
  }

  const feature = (channelId: string, type: 'AgentFeature' | 'AgentFeatureResult') =>
    eventually(type, () => forContact(channelId).find((s) => s.body.type === type));

  describe('SoftACD side (CTI held: the test answers)', () => {
    const answer = async (channelId: string, ok: boolean) => {
      const asked = await feature(channelId, 'AgentFeature');
      await publishCommand<'AgentFeatureResult'>({
        type: 'AgentFeatureResult',
        contactId: channelId,
        feature: asked.body.feature as 'ready',
        ok,
        ...(ok ? { agentId: agent, state: 'ready' } : { error: 'refused' as const }),
      });
    };

    afterEach(async () => {
      await freeze('cti', false);
      await new Promise((r) => setTimeout(r, 1000)); // CTI takes up what waited
      await agentEvents(agent, ['AgentLogout']);
    });

    it('an unknown code is refused at once, without asking CTI', async () => {
      const { run, channelId } = await dialCode('*69');
      ok(run, 'phone');
      await spoken(channelId, 'feature-refused');
      expect(forContact(channelId).map((s) => s.body.type)).to.deep.equal([]);
    });

    it('*63 and *649: what CTI answers is spoken (granted, refused); no answer in 5 s is refused', async () => {
      await freeze('cti', true);
      const cases: Array<{ code: string; reply?: boolean; prompt: string }> = [
        { code: '*63', reply: true, prompt: 'feature-ready' },
        { code: '*649', reply: false, prompt: 'feature-refused' },
        { code: '*63', prompt: 'feature-refused' },
      ];
      for (const c of cases) {
        const mark = observer.events.length;
        const phone = dialCode(c.code);
        const start = await eventually('phone in Asterisk', () =>
          observer.events.slice(mark).find(phoneCreated),
        );
        const channelId = String(start.channel?.id);
        const asked = await feature(channelId, 'AgentFeature');
        expect(asked.body).to.include({ endpoint: 'PJSIP/agent1004', contactId: channelId });
        expect(asked.body.feature).to.equal(c.code === '*63' ? 'ready' : 'not-ready');
        if (c.code === '*649') expect(asked.body.reasonDigit).to.equal(9);
        const t0 = Date.now();
        if (c.reply !== undefined) await answer(channelId, c.reply);
        const { run } = await phone;
        ok(run, `phone ${c.code}`);
        await spoken(channelId, c.prompt);
        if (c.reply === undefined) expect(Date.now() - t0, 'waited for CTI').to.be.at.least(4900);
      }
    });
  });

  describe('with CTI', () => {
    it('*61 logs in, *63 makes ready, the phone takes a queued support call, *62 logs out', async () => {
      const codes: Array<[string, string, string]> = [
        ['*61', 'login', 'feature-logged-in'],
        ['*63', 'ready', 'feature-ready'],
      ];
      for (const [code, name, prompt] of codes) {
        const { run, channelId } = await dialCode(code);
        ok(run, `phone ${code}`);
        const result = await feature(channelId, 'AgentFeatureResult');
        expect(result.body, `${code} answered`).to.include({ feature: name, ok: true, agentId: agent });
        await spoken(channelId, prompt);
      }
      const number = '15554480001';
      const phone = sipp('agent-answer.xml', {
        service: 'agent1004',
        localPort: 5481,
        holdMs: 300,
        extra: ['-mp', '17520'],
      });
      await new Promise((r) => setTimeout(r, 300));
      const caller = await sipp('uac-audio.xml', {
        service: '201',
        localPort: 5483,
        holdMs: 6000,
        vars: { caller: number, caller_name: 'Desk Caller' },
        extra: ['-mp', '17530'],
      });
      ok(caller, 'caller');
      ok(await phone, 'desk phone');
      const delivered = valid().find(
        (s) => s.body.type === 'CallDelivered' && s.body.callingNumber === number,
      );
      const contactId = String(delivered?.body.contactId);
      const est = forContact(contactId).find((s) => s.body.type === 'Established');
      expect(est?.body.agentId, 'taken by 1004').to.equal(agent);
      await eventually('ConnectionCleared', () =>
        forContact(contactId).find((s) => s.body.type === 'ConnectionCleared'),
      );

      // Wrap-up first (the support queue's), then the phone logs out.
      const { run, channelId } = await dialCode('*62');
      ok(run, 'phone *62');
      const result = await feature(channelId, 'AgentFeatureResult');
      expect(result.body).to.include({ feature: 'logout', ok: true, state: 'logged-out' });
      await spoken(channelId, 'feature-logged-out');
    });

    it('9<number> dials out through `outside`: an outbound contact on the phone channel, cleared once', async () => {
      const login = await dialCode('*61');
      ok(login.run, 'phone *61');
      const farEnd = sipp('agent-bye.xml', {
        service: 'outside',
        localPort: 5090,
        holdMs: 4000,
        extra: ['-mp', '17540'],
      });
      await new Promise((r) => setTimeout(r, 300));
      const { run, channelId } = await dialCode('95554480002', ['-mp', '17550']);
      ok(run, 'phone (hung up when the far end left)');
      ok(await farEnd, 'far end');
      const asked = await feature(channelId, 'AgentFeature');
      expect(asked.body).to.include({ feature: 'dial', number: '5554480002', endpoint: 'PJSIP/agent1004' });
      const result = await feature(channelId, 'AgentFeatureResult');
      expect(result.body).to.include({ ok: true, agentId: agent });
      const est = await eventually('Established', () =>
        forContact(channelId).find((s) => s.body.type === 'Established'),
      );
      expect(est.body).to.include({ agentId: agent, agentChannelId: channelId });
      await eventually('ConnectionCleared', () =>
        forContact(channelId).find((s) => s.body.type === 'ConnectionCleared'),
      );
      await new Promise((r) => setTimeout(r, 800));
      const cleared: Seen[] = forContact(channelId).filter((s) => s.body.type === 'ConnectionCleared');
      expect(cleared).to.have.length(1);
      expect(cleared[0]?.body).to.include({ releasedBy: 'caller', stage: 'talking' });
      // A queue that records has its outbound calls recorded like any other.
      if (forContact(channelId).some((s) => s.body.type === 'RecordCall'))
        await eventually('RecordingStored', () =>
          forContact(channelId).find((s) => s.body.type === 'RecordingStored'),
        );
      const doc = await eventually('outbound interaction', async () =>
        mongo
          .db()
          .collection('interactions')
          .findOne({ _id: channelId as never }),
      );
      expect(doc).to.include({ direction: 'outbound', to: '5554480002' });
    });
  });
});
