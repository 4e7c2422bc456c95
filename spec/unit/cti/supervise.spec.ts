import winston from 'winston';
import { makeMessage, type Draft, type MessageOf } from '../../../lib/messages';
import {
  type AgentCall,
  type SuperviseAudit,
  Supervision,
  type SupervisorEntry,
  deviceEndpoint,
  inScope,
} from '../../../cti/app/supervise';
import { expect } from '../../support/chai';

type Command = Draft<'SuperviseCall'> | Draft<'SuperviseMode'> | Draft<'SuperviseStop'>;
type Answer = Parameters<Supervision['event']>[0];
const FROM = { service: 'softacd' as const, instance: 'softacd-1' };
const supervising = (c: Command, mode: 'listen' | 'whisper' | 'barge'): Answer =>
  makeMessage<'Supervising'>(FROM, {
    type: 'Supervising',
    contactId: c.contactId,
    sessionId: c.sessionId,
    supervisorId: 'sup1',
    agentId: 'a1',
    mode,
  });
const failed = (c: Command, reason: MessageOf<'SuperviseFailed'>['reason']): Answer =>
  makeMessage<'SuperviseFailed'>(FROM, {
    type: 'SuperviseFailed',
    contactId: c.contactId,
    sessionId: c.sessionId,
    reason,
  });
const ended = (c: Command, reason: MessageOf<'SuperviseEnded'>['reason']): Answer =>
  makeMessage<'SuperviseEnded'>(FROM, {
    type: 'SuperviseEnded',
    contactId: c.contactId,
    sessionId: c.sessionId,
    reason,
  });

const SUPERVISOR: SupervisorEntry = {
  id: 'sup1',
  roles: ['supervisor'],
  supervises: ['sales'],
  endpoints: { softphone: 'PJSIP/webrtc-supervisor', desk: 'PJSIP/desk-supervisor' },
};

/** CTI's supervision with plain-object ports; `answer` plays SoftACD for each command sent. */
function harness(
  o: { call?: AgentCall; people?: SupervisorEntry[]; answer?: (c: Command) => Answer[] } = {},
) {
  const sent: Array<{ softacd: string; draft: Command }> = [];
  const audits: SuperviseAudit[] = [];
  const ended: string[] = [];
  let n = 0;
  const people = o.people ?? [SUPERVISOR];
  const sup: Supervision = new Supervision({
    supervisor: (id) => Promise.resolve(people.find((p) => p.id === id)),
    agentCall: (agentId) =>
      agentId === 'a1' ? (o.call ?? { contactId: 'k1', queueId: 'sales', state: 'connected' }) : undefined,
    softacd: (contactId) => (contactId === 'k1' ? 'softacd-1' : undefined),
    command: (softacd, draft) => {
      sent.push({ softacd, draft });
      // SoftACD answers on the bus, after the command went out.
      for (const answer of o.answer?.(draft) ?? [])
        setImmediate(() => {
          sup.event(answer).catch(() => undefined);
        });
      return Promise.resolve();
    },
    audit: (entry) => {
      audits.push(entry);
      return Promise.resolve();
    },
    newSessionId: () => `s${++n}`,
    ringTimeoutSec: 0.05,
    answerTimeoutMs: 50,
    ended: (supervisorId, e) =>
      ended.push(`${supervisorId} ${e.sessionId} ${e.agentId} ${e.contactId} ${e.reason}`),
    log: winston.createLogger({ silent: true }),
  });
  return { sup, sent, audits, ended };
}

/** SoftACD as it behaves when all goes well: connects, switches, ends on stop. */
function softacd(c: Command): Answer[] {
  if (c.type === 'SuperviseStop') return [ended(c, 'stopped')];
  return [supervising(c, c.mode)];
}

const request = { supervisorId: 'sup1', agentId: 'a1', mode: 'listen' as const, device: 'desk' as const };

describe('call supervision in CTI (SupervisePort)', () => {
  it('start, change and stop go to the owning SoftACD, answer with the session, and are audited', async () => {
    const h = harness({ answer: softacd });
    const started = await h.sup.start(request);
    expect(started).to.deep.equal({
      ok: true,
      sessionId: 's1',
      agentId: 'a1',
      contactId: 'k1',
      mode: 'listen',
    });
    expect(h.sent[0]).to.deep.equal({
      softacd: 'softacd-1',
      draft: {
        type: 'SuperviseCall',
        contactId: 'k1',
        sessionId: 's1',
        supervisorId: 'sup1',
        agentId: 'a1',
        mode: 'listen',
        endpoint: 'PJSIP/desk-supervisor',
        ringTimeoutSec: 0.05,
      },
    });
    expect(await h.sup.change('sup1', 's1', 'whisper')).to.include({ ok: true, mode: 'whisper' });
    expect(await h.sup.change('sup1', 's1', 'barge')).to.include({ ok: true, mode: 'barge' });
    expect(h.sup.current('sup1')).to.include({ sessionId: 's1', mode: 'barge' });
    expect(await h.sup.stop('sup1', 's1')).to.include({ ok: true, sessionId: 's1' });
    expect(h.sent.map((s) => s.draft.type)).to.deep.equal([
      'SuperviseCall',
      'SuperviseMode',
      'SuperviseMode',
      'SuperviseStop',
    ]);
    expect(
      h.audits.map((a) => `${a.action} ${a.mode} ${a.queueId} ${a.device} ${a.reason ?? ''}`),
    ).to.deep.equal([
      'start listen sales desk ',
      'change whisper sales desk ',
      'change barge sales desk ',
      'stop barge sales desk stopped',
    ]);
    expect(
      h.audits.every((a) => a.supervisorId === 'sup1' && a.contactId === 'k1' && a.agentId === 'a1'),
    ).to.equal(true);
    expect(h.sup.size).to.equal(0);
    expect(h.ended).to.deep.equal([]);
  });

  it('refuses out of scope, no call, no phone, unknown people; nothing is sent or audited', async () => {
    const h = harness({
      answer: softacd,
      people: [
        SUPERVISOR,
        { ...SUPERVISOR, id: 'sup2', supervises: ['support'] },
        { ...SUPERVISOR, id: 'sup3', endpoints: {} },
      ],
    });
    const reasons = [
      await h.sup.start({ ...request, supervisorId: 'sup2' }),
      await h.sup.start({ ...request, agentId: 'a9' }),
      await h.sup.start({ ...request, supervisorId: 'sup3' }),
      await h.sup.start({ ...request, supervisorId: 'nobody' }),
    ].map((r) => (r.ok ? 'ok' : r.reason));
    expect(reasons).to.deep.equal([
      "queue sales is not among the supervisor's queues",
      'the agent is not on an established call',
      'the supervisor has no desk phone',
      'unknown or inactive supervisor',
    ]);
    const ringing = harness({
      answer: softacd,
      call: { contactId: 'k1', queueId: 'sales', state: 'offered' },
    });
    expect(await ringing.sup.start(request)).to.deep.equal({
      ok: false,
      reason: 'the agent is not on an established call',
    });
    expect([...h.sent, ...ringing.sent]).to.deep.equal([]);
    expect([...h.audits, ...ringing.audits]).to.deep.equal([]);
  });

  it("SoftACD's refusal and a phone that does not answer fail the start without an audit entry", async () => {
    const busy = harness({
      answer: (c) => [failed(c, 'busy')],
    });
    expect(await busy.sup.start(request)).to.deep.equal({
      ok: false,
      reason: "the supervisor's phone is busy",
    });
    expect(busy.sup.size).to.equal(0);
    const silent = harness();
    expect(await silent.sup.start(request)).to.deep.equal({ ok: false, reason: 'no answer from SoftACD' });
    // What may still ring is stopped.
    expect(silent.sent.map((s) => s.draft.type)).to.deep.equal(['SuperviseCall', 'SuperviseStop']);
    expect([...busy.audits, ...silent.audits]).to.deep.equal([]);
  });

  it('an end the supervisor did not ask for is audited and told to the socket', async () => {
    const h = harness({ answer: softacd });
    await h.sup.start(request);
    const gone = ended(h.sent[0]!.draft, 'agent-leg-gone');
    await h.sup.event(gone);
    expect(h.ended).to.deep.equal(['sup1 s1 a1 k1 agent-leg-gone']);
    expect(h.audits.at(-1)).to.include({ action: 'stop', reason: 'agent-leg-gone' });
    // Redelivered: the session is gone, nothing is written twice.
    await h.sup.event(gone);
    expect(h.audits).to.have.length(2);
    expect(await h.sup.stop('sup1', 's1')).to.deep.equal({
      ok: false,
      reason: 'no such supervision session',
    });
  });

  it("a second start ends the supervisor's running session first; another supervisor cannot touch it", async () => {
    const h = harness({ answer: softacd });
    await h.sup.start(request);
    expect(await h.sup.change('sup2', 's1', 'barge')).to.deep.equal({
      ok: false,
      reason: 'no such supervision session',
    });
    expect(await h.sup.stop('sup2', 's1')).to.deep.equal({
      ok: false,
      reason: 'no such supervision session',
    });
    expect(await h.sup.start({ ...request, mode: 'whisper' })).to.include({ ok: true, sessionId: 's2' });
    expect(h.sent.map((s) => `${s.draft.type} ${s.draft.sessionId}`)).to.deep.equal([
      'SuperviseCall s1',
      'SuperviseStop s1',
      'SuperviseCall s2',
    ]);
    expect(h.audits.map((a) => `${a.action} ${a.sessionId}`)).to.deep.equal([
      'start s1',
      'stop s1',
      'start s2',
    ]);
  });

  it('sweeps sessions whose end never came, recording them as stopped (expired)', async () => {
    const h = harness({ answer: softacd });
    await h.sup.start(request);
    expect(await h.sup.sweep(Date.now() + 1000, 60_000)).to.deep.equal([]);
    expect(await h.sup.sweep(Date.now() + 120_000, 60_000)).to.deep.equal(['s1']);
    expect(h.audits.at(-1)).to.include({ action: 'stop', reason: 'expired', sessionId: 's1' });
    expect(h.sup.size).to.equal(0);
  });

  it('scope: a supervisor its own queues, an administrator every queue; the device picks the phone', () => {
    expect(inScope(SUPERVISOR, 'sales')).to.equal(true);
    expect(inScope(SUPERVISOR, 'support')).to.equal(false);
    expect(inScope({ ...SUPERVISOR, roles: ['admin'], supervises: [] }, 'support')).to.equal(true);
    expect(inScope({ ...SUPERVISOR, roles: ['agent'] }, 'sales')).to.equal(false);
    expect(deviceEndpoint(SUPERVISOR, 'softphone')).to.equal('PJSIP/webrtc-supervisor');
    expect(deviceEndpoint(SUPERVISOR, 'desk')).to.equal('PJSIP/desk-supervisor');
  });
});
