import winston from 'winston';
import type { FlowGraph } from '../../../lib/flow/flow';
import type { ClosedAction } from '../../../lib/hours/closed-route';
import type { IvrMedia } from '../../../stasis-app/ivr/ari-media';
import type { LoadedFlow } from '../../../stasis-app/ivr/flow-source';
import { IvrService } from '../../../stasis-app/ivr/service';
import { expect } from '../../support/chai';

const graph = (prompt: string): FlowGraph => ({
  entry: 'hello',
  nodes: [
    { id: 'hello', type: 'play', prompt, next: 'bye' },
    { id: 'bye', type: 'hangup' },
  ],
});

/** The IVR's choice of flow for a flow editor's test call (`draft,<testCallId>` from SoftACD). */
function ivr(draft: LoadedFlow | null, closed: ClosedAction | null = { kind: 'prompt', prompt: 'closed' }) {
  const played: string[][] = [];
  const asked: string[] = [];
  const media: IvrMedia = {
    answer: () => Promise.resolve(true),
    hangup: () => Promise.resolve(true),
    play: (_c, _p, m) => {
      played.push(m);
      return Promise.resolve(true);
    },
    stopPlayback: () => Promise.resolve(true),
    record: () => Promise.resolve(true),
    move: () => Promise.resolve(true),
    videoFormat: () => Promise.resolve(undefined),
    setTag: () => Promise.resolve(true),
    readTag: () => Promise.resolve(undefined),
  };
  const svc = new IvrService({
    media,
    emit: () => Promise.resolve(),
    log: winston.createLogger({ silent: true }),
    instanceId: 'ivr-test',
    flows: {
      load: (key) => {
        asked.push(`load ${key}`);
        return Promise.resolve({ id: 'f', name: 'live', graph: graph('welcome') });
      },
      loadTestCall: (id) => {
        asked.push(`draft ${id}`);
        return Promise.resolve(draft);
      },
    },
    callerData: () => Promise.resolve(null),
    hoursOpen: () => Promise.resolve(true),
    numberClosed: () => {
      asked.push('hours');
      return Promise.resolve(closed);
    },
    machine: {
      queueMedia: () => 'queue-music',
      prompts: { timeout: 'timeout', goodbye: 'goodbye', callbackConfirm: 'callback-confirm' },
    },
    fallback: { prompt: 'default-welcome', queue: undefined },
    voicemailMaxSec: 60,
  });
  return { svc, played, asked };
}

describe("IVR: a flow editor's test call runs the draft stored for it", () => {
  it("loads the draft by its test-call id, not the number's flow, and skips the number's hours", async () => {
    const t = ivr({ id: 'f', name: 'live (draft)', graph: graph('menu') });
    await t.svc.callEntered('ch1', ['c1', '7152', 'audio', 'draft', 'tc-1'], {
      number: 'flow-test',
      name: '',
    });
    expect(t.asked).to.deep.equal(['draft tc-1']);
    expect(t.played[0]).to.deep.equal(['sound:ipcc/menu']);
  });

  it('an ordinary caller of the number gets the published flow (after the hours check)', async () => {
    const t = ivr({ id: 'f', name: 'live (draft)', graph: graph('menu') }, null);
    await t.svc.callEntered('ch2', ['c2', '7152', 'audio'], { number: '555', name: '' });
    expect(t.asked).to.deep.equal(['hours', 'load 7152']);
    expect(t.played[0]).to.deep.equal(['sound:ipcc/welcome']);
  });

  it('an expired test call plays the default flow', async () => {
    const t = ivr(null);
    await t.svc.callEntered('ch3', ['c3', '7152', 'audio', 'draft', 'tc-old'], {
      number: 'flow-test',
      name: '',
    });
    expect(t.asked).to.deep.equal(['draft tc-old']);
    expect(t.played[0]).to.deep.equal(['sound:ipcc/default-welcome']);
  });
});
