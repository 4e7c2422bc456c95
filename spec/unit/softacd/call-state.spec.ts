import { expect } from '../../support/chai';
import {
  CallEvent,
  CallState,
  IllegalCallTransition,
  nextCallState,
} from '../../../stasis-app/softacd/call-state';

const STATES: CallState[] = ['routing', 'ivr', 'queue', 'ringing', 'talking', 'cleared'];
const EVENTS: CallEvent[] = [
  'routedToIvr',
  'queued',
  'divert',
  'agentAnswered',
  'agentNoAnswer',
  'returnedToIvr',
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
  'talking/released': 'cleared',
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
