import { expect } from '../../support/chai';
import {
  CALL_STATES,
  CallEvent,
  CallState,
  IllegalCallTransition,
  nextCallState,
} from '../../../stasis-app/softacd/call-state';

const STATES: readonly CallState[] = CALL_STATES;
const EVENTS: CallEvent[] = [
  'routedToIvr',
  'queued',
  'divert',
  'agentAnswered',
  'agentNoAnswer',
  'returnedToIvr',
  'hold',
  'retrieve',
  'transferToQueue',
  'transferOut',
  'transferAnswered',
  'consult',
  'consultEnded',
  'consultCompleted',
  'conference',
  'partyLeft',
  'callbackAgentAnswered',
  'customerAnswered',
  'released',
];
const LEGAL: Record<string, CallState> = {
  'routing/routedToIvr': 'ivr',
  'routing/divert': 'ringing',
  'routing/released': 'cleared',
  'ivr/queued': 'queue',
  'ivr/divert': 'ringing',
  'ivr/released': 'cleared',
  'queue/divert': 'ringing',
  'queue/returnedToIvr': 'ivr',
  'queue/released': 'cleared',
  'ringing/agentAnswered': 'talking',
  'ringing/agentNoAnswer': 'queue',
  'ringing/released': 'cleared',
  'talking/hold': 'held',
  'talking/transferToQueue': 'ivr',
  'talking/released': 'cleared',
  'held/retrieve': 'talking',
  'held/transferToQueue': 'ivr',
  'held/released': 'cleared',
  'talking/transferOut': 'transferring',
  'held/transferOut': 'transferring',
  'transferring/transferAnswered': 'talking',
  'transferring/transferToQueue': 'ivr',
  'transferring/released': 'cleared',
  'talking/consult': 'consulting',
  'held/consult': 'consulting',
  'consulting/consultEnded': 'talking',
  'consulting/consultCompleted': 'talking',
  'consulting/released': 'cleared',
  'consulting/conference': 'conferenced',
  'conferenced/partyLeft': 'talking',
  'conferenced/released': 'cleared',
  'callbackRinging/callbackAgentAnswered': 'callbackDialling',
  'callbackRinging/released': 'cleared',
  'callbackDialling/customerAnswered': 'talking',
  'callbackDialling/released': 'cleared',
  'outboundDialling/customerAnswered': 'talking',
  'outboundDialling/released': 'cleared',
};

describe('SoftACD call state table', () => {
  for (const from of STATES) {
    for (const event of EVENTS) {
      const to = LEGAL[`${from}/${event}`];
      it(`${from} + ${event} -> ${to ?? 'refused'}`, () => {
        if (to === undefined) expect(() => nextCallState(from, event)).to.throw(IllegalCallTransition);
        else expect(nextCallState(from, event)).to.equal(to);
      });
    }
  }
});
