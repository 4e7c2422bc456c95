import winston from 'winston';
import type { Draft, MessageType } from '../../../lib/messages';
import type { SnoopControl } from '../../../stasis-app/ari/snoop';
import { Supervision } from '../../../stasis-app/softacd/supervise';
import {
  IllegalSessionTransition,
  SNOOP,
  type SessionState,
  isOver,
  isRinging,
  nextSessionState,
  supervisableLeg,
} from '../../../stasis-app/softacd/supervise-state';
import { expect } from '../../support/chai';
import { deskHarness, envelope, talking } from './desk-harness';

const SESSION = 'sess1';

/** SoftACD's call service with a call talking (agent a1), and Supervision acting on it with recorded ports. */
async function harness(o: { unreachable?: boolean; agentGone?: boolean } = {}) {
  const h = deskHarness();
  const { contactId, agentLeg } = await talking(h);
  h.asked.splice(0);
  h.emitted.splice(0);
  const step = (line: string, ok = true) => {
    h.asked.push(line);
    return Promise.resolve(ok);
  };
  const snoops: SnoopControl = {
    snoop: (s) =>
      step(
        `snoop ${s.channelId} ${s.snoopId} spy=${s.spy} whisper=${s.whisper} ${s.appArgs.join(',')}`,
        !o.agentGone,
      ),
  };
  const sup = new Supervision(h.svc.calls, h.svc.serial, {
    channels: {
      media: () => Promise.resolve('audio'),
      move: () => Promise.resolve(true),
      hangup: async (id) => {
        await step(`hangup ${id}`);
      },
      answer: () => Promise.resolve(true),
      tag: () => Promise.resolve(true),
      follow: () => Promise.resolve(true),
      originate: (x) => {
        h.asked.push(`originate ${x.endpoint} ${x.channelId} ${x.args.join(',')} ${x.timeoutSec}`);
        return o.unreachable === true ? Promise.reject(new Error('Allocation failed')) : Promise.resolve();
      },
      bridge: (b, ids) => step(`bridge ${b} ${ids.join('+')}`),
      destroyBridge: async (b) => {
        await step(`destroy ${b}`);
      },
    },
    callMedia: {
      startMoh: () => Promise.resolve(true),
      stopMoh: () => Promise.resolve(true),
      play: () => Promise.resolve(true),
      stopPlayback: () => Promise.resolve(true),
      removeFromBridge: () => Promise.resolve(true),
      addToBridge: (b, id) => step(`add ${b} ${id}`),
      recordChannel: () => Promise.resolve(true),
    },
    snoops,
    emit: <T extends MessageType>(d: Draft<T>) => {
      h.emitted.push(d);
      return Promise.resolve();
    },
    log: winston.createLogger({ silent: true }),
    softacdApp: 'softacd',
  });
  const command = {
    ...envelope(contactId),
    type: 'SuperviseCall' as const,
    sessionId: SESSION,
    supervisorId: 'sup1',
    agentId: 'a1',
    mode: 'listen' as const,
    endpoint: 'PJSIP/desk-supervisor',
    ringTimeoutSec: 15,
  };
  return { h, sup, contactId, agentLeg, command };
}

/** Started and connected in listen mode: the supervisor answered and the first snoop joined. */
async function connected(o: Parameters<typeof harness>[0] = {}) {
  const t = await harness(o);
  await t.sup.start(t.command);
  await t.sup.entered(`${SESSION}-supervisor`, ['supervise', SESSION, 'supervisor']);
  await t.sup.entered(`${SESSION}-1-snoop`, ['supervise', SESSION, 'snoop']);
  return t;
}

describe('call supervision in SoftACD (snoop channels)', () => {
  it('uses spy both for every mode; whispers to the agent only (out) or to both parties (both)', () => {
    expect(SNOOP).to.deep.equal({
      listen: { spy: 'both', whisper: 'none' },
      whisper: { spy: 'both', whisper: 'out' },
      barge: { spy: 'both', whisper: 'both' },
    });
  });

  it('rings the supervisor, then bridges it with a snoop on the agent leg, and reports Supervising', async () => {
    const { h, contactId, agentLeg } = await connected();
    expect(h.asked).to.deep.equal([
      `originate PJSIP/desk-supervisor ${SESSION}-supervisor supervise,${SESSION},supervisor 15`,
      `bridge ${SESSION}-bridge ${SESSION}-supervisor`,
      `snoop ${agentLeg} ${SESSION}-1-snoop spy=both whisper=none supervise,${SESSION},snoop`,
      `add ${SESSION}-bridge ${SESSION}-1-snoop`,
    ]);
    expect(h.emitted).to.deep.equal([
      {
        type: 'Supervising',
        contactId,
        sessionId: SESSION,
        supervisorId: 'sup1',
        agentId: 'a1',
        mode: 'listen',
      },
    ]);
  });

  it('switches mode with a new snoop joining before the old one is hung up (no new ring)', async () => {
    const { h, sup, contactId, agentLeg } = await connected();
    h.asked.splice(0);
    h.emitted.splice(0);
    await sup.mode({ ...envelope(contactId), type: 'SuperviseMode', sessionId: SESSION, mode: 'whisper' });
    await sup.entered(`${SESSION}-2-snoop`, ['supervise', SESSION, 'snoop']);
    await sup.mode({ ...envelope(contactId), type: 'SuperviseMode', sessionId: SESSION, mode: 'barge' });
    await sup.entered(`${SESSION}-3-snoop`, ['supervise', SESSION, 'snoop']);
    expect(h.asked).to.deep.equal([
      `snoop ${agentLeg} ${SESSION}-2-snoop spy=both whisper=out supervise,${SESSION},snoop`,
      `add ${SESSION}-bridge ${SESSION}-2-snoop`,
      `hangup ${SESSION}-1-snoop`,
      `snoop ${agentLeg} ${SESSION}-3-snoop spy=both whisper=both supervise,${SESSION},snoop`,
      `add ${SESSION}-bridge ${SESSION}-3-snoop`,
      `hangup ${SESSION}-2-snoop`,
    ]);
    expect(h.asked.filter((l) => l.startsWith('originate'))).to.deep.equal([]);
    expect(h.emitted.map((e) => (e as { mode?: string }).mode)).to.deep.equal(['whisper', 'barge']);
    // The replaced snoops' ends are not the agent leaving.
    await sup.channelGone(`${SESSION}-1-snoop`, 16);
    await sup.channelGone(`${SESSION}-2-snoop`, 16);
    expect(sup.size).to.equal(1);
    expect(h.emitted).to.have.length(2);
  });

  it('a switch while one is in progress is refused; the same mode is confirmed at once', async () => {
    const { h, sup, contactId } = await connected();
    h.emitted.splice(0);
    await sup.mode({ ...envelope(contactId), type: 'SuperviseMode', sessionId: SESSION, mode: 'listen' });
    await sup.mode({ ...envelope(contactId), type: 'SuperviseMode', sessionId: SESSION, mode: 'barge' });
    await sup.mode({ ...envelope(contactId), type: 'SuperviseMode', sessionId: SESSION, mode: 'whisper' });
    await sup.mode({ ...envelope(contactId), type: 'SuperviseMode', sessionId: 'other', mode: 'whisper' });
    expect(h.emitted).to.deep.equal([
      {
        type: 'Supervising',
        contactId,
        sessionId: SESSION,
        supervisorId: 'sup1',
        agentId: 'a1',
        mode: 'listen',
      },
      { type: 'SuperviseFailed', contactId, sessionId: SESSION, reason: 'switching' },
      { type: 'SuperviseFailed', contactId, sessionId: 'other', reason: 'unknown-session' },
    ]);
  });

  it('stop hangs up the supervisor and the snoop and destroys the bridge', async () => {
    const { h, sup, contactId } = await connected();
    h.asked.splice(0);
    h.emitted.splice(0);
    await sup.stop({ ...envelope(contactId), type: 'SuperviseStop', sessionId: SESSION });
    expect(h.asked).to.deep.equal([
      `hangup ${SESSION}-supervisor`,
      `hangup ${SESSION}-1-snoop`,
      `destroy ${SESSION}-bridge`,
    ]);
    expect(h.emitted).to.deep.equal([
      { type: 'SuperviseEnded', contactId, sessionId: SESSION, reason: 'stopped' },
    ]);
    expect(sup.size).to.equal(0);
    // The legs' own ends come after: nothing more happens.
    await sup.channelGone(`${SESSION}-supervisor`, 16);
    await sup.channelGone(`${SESSION}-1-snoop`, 16);
    expect(h.emitted).to.have.length(1);
  });

  it('the supervisor hanging up ends the session; the agent leg going (its snoop ends) too', async () => {
    const a = await connected();
    a.h.asked.splice(0);
    await a.sup.channelGone(`${SESSION}-supervisor`, 16);
    expect(a.h.asked).to.deep.equal([
      `hangup ${SESSION}-supervisor`,
      `hangup ${SESSION}-1-snoop`,
      `destroy ${SESSION}-bridge`,
    ]);
    expect(a.h.emitted.at(-1)).to.include({ type: 'SuperviseEnded', reason: 'supervisor-hung-up' });
    const b = await connected();
    await b.sup.channelGone(`${SESSION}-1-snoop`, 16);
    expect(b.h.emitted.at(-1)).to.include({ type: 'SuperviseEnded', reason: 'agent-leg-gone' });
    expect(b.h.asked).to.include(`hangup ${SESSION}-supervisor`);
    expect(b.sup.size).to.equal(0);
  });

  it('refuses a call the agent is not on, and reports a phone that is unreachable or busy', async () => {
    const t = await harness();
    await t.sup.start({ ...t.command, agentId: 'someone-else' });
    await t.sup.start({ ...t.command, contactId: 'no-such-call' });
    expect(t.h.emitted.map((e) => (e as { reason?: string }).reason)).to.deep.equal([
      'not-supervisable',
      'not-supervisable',
    ]);
    expect(t.h.asked).to.deep.equal([]);
    const u = await harness({ unreachable: true });
    await u.sup.start(u.command);
    expect(u.h.emitted).to.deep.equal([
      { type: 'SuperviseFailed', contactId: u.contactId, sessionId: SESSION, reason: 'unreachable' },
    ]);
    expect(u.sup.size).to.equal(0);
    const b = await harness();
    await b.sup.start(b.command);
    await b.sup.channelGone(`${SESSION}-supervisor`, 17);
    expect(b.h.emitted.at(-1)).to.include({ type: 'SuperviseFailed', reason: 'busy' });
    expect(b.sup.size).to.equal(0);
  });

  it('the agent leaving while the supervisor rings ends the session once it answers', async () => {
    const t = await harness();
    await t.sup.start(t.command);
    await t.h.svc.channelDestroyed(t.agentLeg, 16, 'Normal Clearing');
    t.h.asked.splice(0);
    t.h.emitted.splice(0);
    await t.sup.entered(`${SESSION}-supervisor`, ['supervise', SESSION, 'supervisor']);
    expect(t.h.asked).to.deep.equal([`hangup ${SESSION}-supervisor`]);
    expect(t.h.emitted).to.deep.equal([
      { type: 'SuperviseEnded', contactId: t.contactId, sessionId: SESSION, reason: 'agent-leg-gone' },
    ]);
  });

  it('a redelivered start does not ring twice; channels of no session are hung up', async () => {
    const t = await harness();
    await t.sup.start(t.command);
    await t.sup.start(t.command);
    expect(t.h.asked.filter((l) => l.startsWith('originate'))).to.have.length(1);
    await t.sup.entered('stray-9-snoop', ['supervise', 'stray', 'snoop']);
    expect(t.h.asked.at(-1)).to.equal('hangup stray-9-snoop');
    expect(await t.sup.dropLeftovers(['x-supervisor', 'c1', `${SESSION}-supervisor`])).to.equal(1);
    expect(t.h.asked.at(-1)).to.equal('hangup x-supervisor');
  });

  it('sweeps sessions older than the limit', async () => {
    const t = await connected();
    expect(await t.sup.sweep(Date.now() + 1000, 60_000)).to.deep.equal([]);
    expect(await t.sup.sweep(Date.now() + 120_000, 60_000)).to.deep.equal([SESSION]);
    expect(t.h.emitted.at(-1)).to.include({ type: 'SuperviseEnded', reason: 'expired' });
  });

  it('session transitions and supervisable calls follow their tables', () => {
    expect(nextSessionState('ringing', 'answered')).to.equal('joining');
    expect(nextSessionState('switching', 'snoopJoined')).to.equal('active');
    expect(() => nextSessionState('ringing', 'switch')).to.throw(IllegalSessionTransition);
    expect(() => nextSessionState('ended', 'stop')).to.throw(IllegalSessionTransition);
    const call = { agentId: 'a1', agentChannelId: 'leg', state: 'talking' } as Parameters<
      typeof supervisableLeg
    >[0];
    expect(supervisableLeg(call, 'a1')).to.equal('leg');
    expect(supervisableLeg(call, 'a2')).to.equal(undefined);
    expect(supervisableLeg({ ...call!, state: 'ringing' }, 'a1')).to.equal(undefined);
    expect(supervisableLeg({ ...call!, state: 'held' }, 'a1')).to.equal('leg');
    const states: SessionState[] = ['ringing', 'joining', 'active', 'switching', 'ended'];
    expect(states.filter(isOver)).to.deep.equal(['ended']);
    expect(states.filter(isRinging)).to.deep.equal(['ringing']);
  });
});
