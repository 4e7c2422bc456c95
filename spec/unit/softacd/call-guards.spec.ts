import { expect } from '../../support/chai';
import {
  ANSWER_GUARDS,
  COMMAND_GUARDS,
  type CallInput,
  type Guard,
  SEEN,
  type Seen,
  guardOf,
} from '../../../stasis-app/softacd/call-guards';
import type { Call } from '../../../stasis-app/softacd/call-registry';
import { CALL_STATES, type CallState, nextCallState } from '../../../stasis-app/softacd/call-state';
import { LEGS, LEG_GONE, type Leg, legGoneAction } from '../../../stasis-app/softacd/leg-gone';
import { cmd, consultTarget, harness } from './service-harness';

const INPUTS = [...Object.keys(COMMAND_GUARDS), ...Object.keys(ANSWER_GUARDS)] as CallInput[];

/** Every cell of a row, with the transitions its outcome names. */
function cells(g: Guard<string>): { seen: Seen; outcome: string; events: readonly string[] }[] {
  return SEEN.map((seen) => {
    const outcome = g.outcome[seen];
    return { seen, outcome, events: g.leadsTo[outcome] ?? [] };
  });
}

describe('SoftACD call guards (command × state and leg × state tables)', () => {
  it('every row gives every state, and gone, exactly one outcome', () => {
    const rows: Guard<string>[] = [...INPUTS.map(guardOf), ...LEGS.map((l) => LEG_GONE[l])];
    expect(rows).to.have.length(INPUTS.length + 6);
    for (const row of rows) {
      expect(Object.keys(row.outcome).sort()).to.deep.equal([...SEEN].sort());
      for (const seen of SEEN) expect(row.outcome[seen]).to.be.a('string');
    }
    expect(SEEN).to.have.length(CALL_STATES.length + 1);
  });

  it('each outcome leads only through transitions the call state table has; illegal cells have none', () => {
    let checked = 0;
    for (const input of INPUTS) {
      for (const { seen, outcome, events } of cells(guardOf(input))) {
        if (seen === 'gone') {
          expect(events, `${input} on no call`).to.deep.equal([]);
          continue;
        }
        for (const event of events as Parameters<typeof nextCallState>[1][]) {
          if (outcome === 'illegal') expect(() => nextCallState(seen, event), `${input}/${seen}`).to.throw();
          else expect(() => nextCallState(seen, event), `${input}/${seen}`).not.to.throw();
          checked++;
        }
      }
    }
    for (const leg of LEGS) {
      for (const { seen, events } of cells(LEG_GONE[leg])) {
        if (seen === 'gone') continue;
        for (const event of events as Parameters<typeof nextCallState>[1][]) {
          expect(() => nextCallState(seen, event), `${leg} gone in ${seen}`).not.to.throw();
          checked++;
        }
      }
    }
    expect(checked).to.be.greaterThan(60);
  });

  it("an agent's commands are carried out in exactly the states they were before the tables", () => {
    // The states each module passed to agentsCall / checked itself before the tables existed.
    const accepted: Partial<Record<CallInput, Partial<Record<CallState, string>>>> = {
      HoldCall: { talking: 'hold' },
      RetrieveCall: { held: 'retrieve' },
      TransferCall: { talking: 'transfer', held: 'transferHeld' },
      ConsultCall: { talking: 'holdAndConsult', held: 'consult' },
      CompleteTransfer: { consulting: 'complete' },
      CancelConsult: { consulting: 'cancel' },
      ConferenceCall: { consulting: 'conference' },
      RecordCall: { talking: 'record', held: 'record' },
      SuperviseCall: {
        talking: 'supervise',
        held: 'supervise',
        consulting: 'supervise',
        conferenced: 'supervise',
      },
    };
    for (const [input, states] of Object.entries(accepted) as [CallInput, Partial<Record<Seen, string>>][]) {
      for (const seen of SEEN) {
        expect(guardOf(input).outcome[seen], `${input}/${seen}`).to.equal(states[seen] ?? 'refuse');
      }
    }
  });

  it('the other inputs: what each does in each state', () => {
    const rows: Partial<Record<CallInput, Partial<Record<Seen, string>>>> = {
      RouteSelect: { routing: 'route', gone: 'gone', cleared: 'gone' },
      DivertCall: {
        routing: 'divert',
        ivr: 'divert',
        queue: 'divert',
        ringing: 'supersede',
        gone: 'callerGone',
        cleared: 'callerGone',
      },
      DialCallback: { gone: 'dial', callbackRinging: 'supersede' },
      ClearCall: {
        conferenced: 'leaveConference',
        callbackRinging: 'hangUpAgent',
        gone: 'gone',
        cleared: 'gone',
      },
      ReconnectAgent: { held: 'reconnect', gone: 'gone', cleared: 'gone' },
      AgentAnswered: { ringing: 'answer' },
      HandoverTimedOut: { talking: 'moveCaller' },
      CallerReturned: { talking: 'bridge' },
      TransferTargetAnswered: { transferring: 'join' },
      ConsultTargetAnswered: { consulting: 'bridge' },
      CallbackAgentAnswered: { callbackRinging: 'dialCustomer' },
      CallbackCustomerAnswered: { callbackDialling: 'join' },
      OutboundAnswered: { outboundDialling: 'join' },
      ReconnectAnswered: { held: 'takeBack' },
    };
    const otherwise: Partial<Record<CallInput, string>> = {
      RouteSelect: 'movedOn',
      DivertCall: 'illegal',
      DialCallback: 'refuse',
      ClearCall: 'hangUpCaller',
      ReconnectAgent: 'notHeld',
      ReconnectAnswered: 'notHeld',
    };
    for (const [input, row] of Object.entries(rows) as [CallInput, Partial<Record<Seen, string>>][]) {
      for (const seen of SEEN) {
        const expected = row[seen] ?? otherwise[input] ?? 'ignore';
        expect(guardOf(input).outcome[seen], `${input}/${seen}`).to.equal(expected);
      }
    }
    expect(Object.keys(rows).length + 9).to.equal(INPUTS.length);
  });

  describe('channel destroyed: the table gives what the ladder of rules before it did', () => {
    // The rules in their old order (the feature hooks first), with the table's names for their actions.
    function ladder(leg: Leg, state: CallState): string {
      if (state === 'cleared') return 'none';
      if (leg === 'reconnect') return 'takeBackFailed';
      if (leg === 'agent' && state === 'held') return 'softphoneLostOrRelease';
      if (leg === 'caller' && state === 'outboundDialling') return 'notReached';
      if (state === 'callbackRinging') return leg === 'agent' ? 'callbackNoAnswer' : 'none';
      if (state === 'callbackDialling') return 'callbackFailed';
      if (leg === 'agent' && state === 'ringing') return 'agentNoAnswer';
      if (leg === 'consulted') return 'endConsult';
      if (state === 'conferenced') {
        if (leg === 'third') return 'partyLeft';
        return leg === 'agent' ? 'partyLeftOrRelease' : 'release';
      }
      if (leg === 'agent' && state === 'transferring') return 'transferTargetGone';
      return 'release';
    }
    // A consulted target's leg exists only while consulting: the ladder's endConsult elsewhere was never
    // reached (and would have thrown at consultEnded); the table releases there like for any other leg.
    const tabled = (leg: Leg, state: CallState) => {
      const old = ladder(leg, state);
      return old === 'endConsult' && state !== 'consulting' ? 'release' : old;
    };

    for (const leg of LEGS) {
      it(`${leg} leg, every state`, () => {
        for (const state of CALL_STATES) {
          const expected = tabled(leg, state);
          const call = callWithEveryLeg(state);
          const channelId = LEG_IDS[leg];
          expect(legGoneAction(call, channelId), `${leg} in ${state}`).to.deep.equal({
            leg,
            action: expected,
          });
          expect(LEG_GONE[leg].outcome.gone).to.equal('none');
        }
      });
    }
  });

  describe('the service consults the table (a call put in each state, each agent command sent)', () => {
    const agentCommands = [
      ['HoldCall', (svc, c) => svc.holdCall({ ...c, type: 'HoldCall' })],
      ['RetrieveCall', (svc, c) => svc.retrieveCall({ ...c, type: 'RetrieveCall' })],
      [
        'TransferCall',
        (svc, c) =>
          svc.transferCall({ ...c, type: 'TransferCall', target: { kind: 'queue', queueId: 'q2' } }),
      ],
      ['ConsultCall', (svc, c) => svc.consultCall({ ...c, type: 'ConsultCall', target: consultTarget })],
      ['CompleteTransfer', (svc, c) => svc.completeTransfer({ ...c, type: 'CompleteTransfer' })],
      ['CancelConsult', (svc, c) => svc.cancelConsult({ ...c, type: 'CancelConsult' })],
      ['ConferenceCall', (svc, c) => svc.conferenceCall({ ...c, type: 'ConferenceCall' })],
    ] as const satisfies readonly (readonly [
      CallInput,
      (svc: ReturnType<typeof harness>['svc'], c: ReturnType<typeof cmd>) => Promise<void>,
    ])[];

    for (const [input, send] of agentCommands) {
      it(`${input}: acts exactly where the table accepts it`, async () => {
        for (const state of CALL_STATES) {
          const h = harness();
          const call = callWithEveryLeg(state);
          delete call.reconnect;
          delete call.conference;
          if (state !== 'consulting') delete call.consult;
          h.svc.calls.add(call);
          h.svc.calls.attachAgentLeg(call, LEG_IDS.agent, 'a1');
          await send(h.svc, cmd(call.contactId));
          const acted = h.asked.length + h.emitted.length > 0;
          expect(acted, `${input} in ${state}`).to.equal(guardOf(input).outcome[state] !== 'refuse');
        }
      });
    }
  });
});

const LEG_IDS: Readonly<Record<Leg, string>> = {
  reconnect: 'k1-agent-r',
  caller: 'c1',
  agent: 'k1-agent-1',
  consulted: 'k1-agent-c',
  third: 'k1-agent-t',
  other: 'k1-agent-old',
};

/** A call in `state` naming a leg of every kind (the table decides by state and leg, nothing else). */
function callWithEveryLeg(state: CallState): Call {
  return {
    contactId: 'k1',
    channelId: LEG_IDS.caller,
    calledNumber: '200',
    callingNumber: '+15551230000',
    media: 'audio',
    state,
    createdAt: Date.now(),
    agentId: 'a1',
    agentChannelId: LEG_IDS.agent,
    bridgeId: 'k1-bridge',
    reconnect: { channelId: LEG_IDS.reconnect, agentId: 'a1' },
    consult: {
      by: 'a1',
      target: consultTarget,
      channelId: LEG_IDS.consulted,
      bridgeId: 'k1-consult',
      answered: true,
    },
    conference: { by: 'a1', target: consultTarget, channelId: LEG_IDS.third },
  };
}
