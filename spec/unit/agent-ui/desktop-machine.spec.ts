import { expect } from '../../support/chai';
import { CONTACT_TRANSITIONS, type ContactEventType } from '../../../agent-ui/src/domain/contact';
import {
  initialState,
  reduce,
  STATUSES,
  statusOfAgentState,
  TRANSITIONS,
  type DesktopEvent,
  type DesktopState,
} from '../../../agent-ui/src/domain/desktop-machine';
import type { ContactPhase, ServerMessage } from '../../../agent-ui/src/domain/interface-a';

const T0 = Date.parse('2026-12-07T00:00:00Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

/** Runs events from a state, failing on any refused one. */
function run(state: DesktopState, events: DesktopEvent[], now = T0): DesktopState {
  let s = state;
  for (const e of events) {
    const step = reduce(s, e, now);
    expect(step.problem, `${e.type} refused`).to.equal(undefined);
    s = step.state;
  }
  return s;
}

const signedIn = (): DesktopState =>
  run(initialState(), [
    { type: 'sign-in' },
    { type: 'welcome', agentId: 'a1', expiresAt: at(900) },
    { type: 'snapshot', state: 'logged-out', at: at(-60), devices: { softphone: true, desk: true } },
  ]);

const offer: ServerMessage = {
  type: 'offer',
  contactId: 'c1',
  queueId: 'sales',
  kind: 'call',
  callingNumber: '+33123456789',
  callingName: 'Ada',
  media: 'video',
  enteredAt: at(-42),
};

const onCall = (): DesktopState =>
  run(signedIn(), [
    { type: 'choose-device', device: 'softphone' },
    { type: 'state', state: 'ready', at: at(0) },
    { type: 'state', state: 'reserved', at: at(1), contactId: 'c1' },
    offer,
    { type: 'established', contactId: 'c1' },
    { type: 'state', state: 'talking', at: at(3), contactId: 'c1' },
  ]);

describe('agent-ui desktop state table', () => {
  it('has a row for every status, and every row lists only known targets', () => {
    expect(Object.keys(TRANSITIONS).sort()).to.deep.equal([...STATUSES].sort());
    for (const status of STATUSES) {
      for (const target of Object.values(TRANSITIONS[status])) {
        expect(['by-agent-state', 'stay', ...STATUSES]).to.include(target);
      }
    }
  });

  it('signs in, learns from the snapshot that the agent is logged out and asks for the device', () => {
    const s = signedIn();
    expect(s.status).to.equal('choosing-device');
    expect(s.agentId).to.equal('a1');
    expect(s.devices).to.deep.equal({ softphone: true, desk: true });
    expect(s.since).to.equal(T0 - 60_000);
  });

  it('a failed sign-in goes back to signed-out with the reason', () => {
    const s = run(initialState(), [{ type: 'sign-in' }, { type: 'sign-in-failed', error: 'Wrong login' }]);
    expect(s.status).to.equal('signed-out');
    expect(s.notice).to.deep.equal({ code: 'sign-in-failed', detail: 'Wrong login' });
  });

  it('choosing a device waits logged out until CTI reports not-ready, then ready', () => {
    let s = run(signedIn(), [{ type: 'choose-device', device: 'desk' }]);
    expect(s.status).to.equal('logged-out');
    expect(s.device).to.equal('desk');
    s = run(s, [{ type: 'state', state: 'not-ready', reason: 'login', at: at(5) }], T0 + 6000);
    expect([s.status, s.reason, s.since]).to.deep.equal(['not-ready', 'login', T0 + 5000]);
    s = run(s, [{ type: 'state', state: 'ready', at: at(9) }], T0 + 10_000);
    expect([s.status, s.reason]).to.deep.equal(['ready', undefined]);
  });

  it('a reloaded page follows the snapshot: a talking agent skips the device choice', () => {
    const s = run(initialState(), [
      { type: 'sign-in' },
      {
        type: 'snapshot',
        state: 'talking',
        at: at(-30),
        device: 'softphone',
        devices: { softphone: true, desk: false },
        contact: {
          contactId: 'c9',
          queueId: 'support',
          kind: 'call',
          phase: 'held',
          callingNumber: '100',
          enteredAt: at(-90),
          recoverable: true,
        },
      },
    ]);
    expect(s.status).to.equal('on-contact');
    expect(s.contact).to.include({
      contactId: 'c9',
      phase: 'held',
      recoverable: true,
      enteredAt: T0 - 90_000,
    });
    const back = run(s, [{ type: 'taken-back', contactId: 'c9' }]);
    // CTI retrieves it itself: held until SoftACD reports the retrieve.
    expect(back.contact).to.include({ phase: 'held', recoverable: false });
    const talking = run(back, [{ type: 'retrieved', contactId: 'c9' }]);
    expect(talking.contact).to.include({ phase: 'talking' });
  });

  it('an offer pops the contact; answer, hold, retrieve, hang-up and wrap-up follow the messages', () => {
    let s = onCall();
    expect(s.status).to.equal('on-contact');
    expect(s.contact).to.include({
      contactId: 'c1',
      phase: 'talking',
      callingName: 'Ada',
      enteredAt: T0 - 42_000,
    });
    s = run(s, [{ type: 'held', contactId: 'c1' }]);
    expect(s.contact?.phase).to.equal('held');
    s = run(s, [{ type: 'retrieved', contactId: 'c1' }]);
    expect(s.contact?.phase).to.equal('talking');
    s = run(s, [
      { type: 'cleared', contactId: 'c1', releasedBy: 'caller' },
      { type: 'state', state: 'wrap-up', at: at(60), wrapUpEndsAt: at(90) },
    ]);
    expect(s.status).to.equal('wrap-up');
    expect(s.contact).to.equal(undefined);
    expect(s.wrapUpEndsAt).to.equal(T0 + 90_000);
    expect(s.afterCall).to.include({ contactId: 'c1', queueId: 'sales', callingName: 'Ada' });
    s = run(s, [{ type: 'after-call-done' }, { type: 'state', state: 'ready', at: at(70) }]);
    expect([s.status, s.afterCall, s.wrapUpEndsAt]).to.deep.equal(['ready', undefined, undefined]);
  });

  it('consult, conference and the third party leaving bring the agent back to the caller', () => {
    let s = run(onCall(), [{ type: 'consulted', contactId: 'c1', target: 'bob' }]);
    expect(s.contact).to.include({ phase: 'consulting', target: 'bob' });
    s = run(s, [{ type: 'conferenced', contactId: 'c1', target: 'bob' }]);
    expect(s.contact).to.include({ phase: 'conferenced', target: 'bob' });
    s = run(s, [{ type: 'conference-ended', contactId: 'c1', left: 'third-party' }]);
    expect(s.contact?.phase).to.equal('talking');
    expect(s.contact?.target).to.equal(undefined);
  });

  it('the agent leaving a conference ends its contact', () => {
    const s = run(onCall(), [
      { type: 'consulted', contactId: 'c1', target: 'bob' },
      { type: 'conferenced', contactId: 'c1', target: 'bob' },
      { type: 'conference-ended', contactId: 'c1', left: 'agent' },
    ]);
    expect(s.contact).to.equal(undefined);
    expect(s.afterCall?.contactId).to.equal('c1');
  });

  it('a failed blind transfer keeps the call and tells the agent why', () => {
    const s = run(onCall(), [{ type: 'transfer-failed', contactId: 'c1', reason: 'busy' }]);
    expect(s.contact?.phase).to.equal('talking');
    expect(s.notice).to.deep.equal({ code: 'transfer-failed', detail: 'busy' });
  });

  it('an offer cleared before the answer (rejected, caller gone) leaves nothing to wrap up', () => {
    const s = run(signedIn(), [
      { type: 'choose-device', device: 'softphone' },
      { type: 'state', state: 'ready', at: at(0) },
      offer,
      { type: 'cleared', contactId: 'c1', releasedBy: 'caller' },
    ]);
    expect(s.contact).to.equal(undefined);
    expect(s.afterCall).to.equal(undefined);
  });

  it('refuses what the table does not list, and leaves the state as it was', () => {
    const s0 = initialState();
    const refused = reduce(s0, offer, T0);
    expect(refused.state).to.equal(s0);
    expect(refused.problem).to.equal('offer is not allowed in signed-out');
    const talking = onCall();
    const retrieve = reduce(talking, { type: 'retrieved', contactId: 'c1' }, T0);
    expect(retrieve.problem).to.equal('retrieved is not allowed while talking');
    expect(retrieve.state).to.equal(talking);
    const other = reduce(talking, { type: 'held', contactId: 'c2' }, T0);
    expect(other.problem).to.match(/not the current contact/);
    const unknown = reduce(talking, { type: 'state', state: 'dancing', at: at(1) }, T0);
    expect(unknown.problem).to.equal('unknown agent state dancing');
  });

  it('superseded marks the page stopped; signing out resets everything', () => {
    let s = run(onCall(), [{ type: 'superseded' }]);
    expect(s.superseded).to.equal(true);
    s = run(s, [{ type: 'signed-out' }]);
    expect(s).to.deep.include({ status: 'signed-out', superseded: false });
    expect(s.contact).to.equal(undefined);
  });

  it('maps every CTI agent state to a status', () => {
    expect(statusOfAgentState('logged-out', 'signing-in')).to.equal('choosing-device');
    expect(statusOfAgentState('logged-out', 'ready')).to.equal('logged-out');
    expect(statusOfAgentState('not-ready', 'ready')).to.equal('not-ready');
    expect(statusOfAgentState('reserved', 'ready')).to.equal('on-contact');
    expect(statusOfAgentState('ringing', 'ready')).to.equal('on-contact');
    expect(statusOfAgentState('talking', 'ready')).to.equal('on-contact');
    expect(statusOfAgentState('wrap-up', 'on-contact')).to.equal('wrap-up');
    expect(statusOfAgentState('nonsense', 'ready')).to.equal(undefined);
  });
});

describe('agent-ui contact phase table', () => {
  const sample: Record<ContactEventType, ServerMessage> = {
    established: { type: 'established', contactId: 'c1' },
    cleared: { type: 'cleared', contactId: 'c1', releasedBy: 'agent' },
    held: { type: 'held', contactId: 'c1' },
    retrieved: { type: 'retrieved', contactId: 'c1' },
    transferred: { type: 'transferred', contactId: 'c1', target: 'q' },
    'transfer-failed': { type: 'transfer-failed', contactId: 'c1', reason: 'x' },
    consulted: { type: 'consulted', contactId: 'c1', target: 'bob' },
    'consult-ended': { type: 'consult-ended', contactId: 'c1', outcome: 'cancelled' },
    conferenced: { type: 'conferenced', contactId: 'c1', target: 'bob' },
    'conference-ended': { type: 'conference-ended', contactId: 'c1', left: 'third-party' },
    'callback-failed': { type: 'callback-failed', contactId: 'c1', reason: 'no answer', retry: true },
    'taken-back': { type: 'taken-back', contactId: 'c1' },
  };

  it('walks every cell: listed messages move as the table says, the others are refused', () => {
    let cells = 0;
    for (const phase of Object.keys(CONTACT_TRANSITIONS) as ContactPhase[]) {
      const base = {
        ...onCall(),
        contact: {
          contactId: 'c1',
          queueId: 'q',
          kind: 'call' as const,
          phase,
          offeredAt: T0,
          recoverable: false,
        },
      };
      for (const type of Object.keys(sample) as ContactEventType[]) {
        cells += 1;
        const rule = CONTACT_TRANSITIONS[phase][type];
        const step = reduce(base, sample[type], T0);
        if (rule === undefined) {
          expect(step.problem, `${type} in ${phase}`).to.equal(`${type} is not allowed while ${phase}`);
          continue;
        }
        expect(step.problem, `${type} in ${phase}`).to.equal(undefined);
        const expected = typeof rule === 'function' ? rule(sample[type] as never) : rule;
        if (expected === 'ended') expect(step.state.contact, `${type} in ${phase}`).to.equal(undefined);
        else expect(step.state.contact?.phase, `${type} in ${phase}`).to.equal(expected);
      }
    }
    expect(cells).to.equal(6 * 12);
  });
});
