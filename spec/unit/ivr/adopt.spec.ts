import winston from 'winston';
import type { FlowGraph } from '../../../lib/flow/flow';
import type { IvrMedia } from '../../../stasis-app/ivr/ari-media';
import { decodeIvrTag, encodeIvrTag } from '../../../stasis-app/ivr/call-tag';
import { IvrService } from '../../../stasis-app/ivr/service';
import { expect } from '../../support/chai';

/** Asterisk as the IVR sees it: channel tags and what was played, in memory. */
function fakeMedia() {
  const tags = new Map<string, string>();
  const played: Array<{ channelId: string; playbackId: string; media: string[] }> = [];
  const media: IvrMedia = {
    answer: () => Promise.resolve(true),
    hangup: () => Promise.resolve(true),
    play: (channelId, playbackId, m) => {
      played.push({ channelId, playbackId, media: m });
      return Promise.resolve(true);
    },
    stopPlayback: () => Promise.resolve(true),
    record: () => Promise.resolve(true),
    move: () => Promise.resolve(true),
    videoFormat: () => Promise.resolve(undefined),
    setTag: (channelId, value) => {
      tags.set(channelId, value);
      return Promise.resolve(true);
    },
    readTag: (channelId) => Promise.resolve(tags.get(channelId)),
  };
  return { media, tags, played };
}

const menuFlow: FlowGraph = {
  entry: 'welcome',
  nodes: [
    { id: 'welcome', type: 'play', prompt: 'welcome', next: 'q' },
    { id: 'q', type: 'queue', queue: 'support' },
  ],
};

function service(media: IvrMedia, emitted: string[]) {
  return new IvrService({
    media,
    emit: (draft) => {
      emitted.push(draft.type);
      return Promise.resolve();
    },
    log: winston.createLogger({ silent: true }),
    instanceId: 'ivr-test',
    flows: {
      load: () => Promise.resolve({ id: 'f', name: 'menu', graph: menuFlow }),
      loadTestCall: () => Promise.resolve(null),
    },
    callerData: () => Promise.resolve(null),
    hoursOpen: () => Promise.resolve(true),
    numberClosed: () => Promise.resolve(null),
    machine: {
      queueMedia: () => 'queue-music',
      prompts: { timeout: 'timeout', goodbye: 'goodbye', callbackConfirm: 'callback-confirm' },
    },
    fallback: { prompt: 'welcome', queue: undefined },
    voicemailMaxSec: 60,
  });
}

describe('IVR: a restarted IVR takes its callers back from the channel tag', () => {
  it('decodes only what it encoded', () => {
    const tag = { contactId: 'c1', calledNumber: '100', media: 'audio' as const, extra: [], queue: 'sales' };
    expect(decodeIvrTag(encodeIvrTag(tag))).to.deep.equal(tag);
    expect(decodeIvrTag('')).to.equal(undefined);
    expect(decodeIvrTag('c1|audio|100')).to.equal(undefined);
    expect(decodeIvrTag('{"contactId":""}')).to.equal(undefined);
  });

  it('tags the caller on entry and when it is queued; a new process resumes its queue media without a second AgentRequest', async () => {
    const asterisk = fakeMedia();
    const emitted: string[] = [];
    const first = service(asterisk.media, emitted);
    await first.callEntered('ch1', ['c1', '100', 'audio'], { number: '555', name: 'A' });
    expect(decodeIvrTag(asterisk.tags.get('ch1'))).to.deep.include({ contactId: 'c1', calledNumber: '100' });
    expect(asterisk.played.at(-1)?.media).to.deep.equal(['sound:ipcc/welcome']);
    const welcome = asterisk.played.at(-1)?.playbackId ?? '';
    await first.feed('ch1', { type: 'playbackFinished', playbackId: welcome.split('-')[1] ?? '' });
    expect(emitted).to.deep.equal(['CallDelivered', 'AgentRequest']);
    expect(decodeIvrTag(asterisk.tags.get('ch1'))?.queue).to.equal('support');

    // The process dies; a new one finds the channel in its app.
    const second = service(asterisk.media, emitted);
    expect(await second.adopt('ch1', { number: '555', name: 'A' })).to.equal(true);
    expect(asterisk.played.at(-1)?.media).to.deep.equal(['sound:ipcc/queue-music']);
    expect(asterisk.played.at(-1)?.playbackId).to.not.equal(welcome);
    expect(emitted).to.deep.equal(['CallDelivered', 'AgentRequest']);
    expect(second.sessions.forContact('c1')?.channelId).to.equal('ch1');
    expect(await second.adopt('ch1', { number: '555', name: 'A' }), 'known already').to.equal(false);
  });

  it('starts the flow over for a caller who was not queued yet, and leaves an untagged channel alone', async () => {
    const asterisk = fakeMedia();
    const emitted: string[] = [];
    const first = service(asterisk.media, emitted);
    await first.callEntered('ch2', ['c2', '100', 'audio'], { number: '556', name: 'B' });
    const second = service(asterisk.media, emitted);
    expect(await second.adopt('ch2', { number: '556', name: 'B' })).to.equal(true);
    expect(asterisk.played.map((p) => p.media[0])).to.deep.equal([
      'sound:ipcc/welcome',
      'sound:ipcc/welcome',
    ]);
    expect(emitted).to.deep.equal(['CallDelivered']);
    expect(await second.adopt('ch3', { number: '557', name: 'C' })).to.equal(false);
  });

  it('clears the tag once the caller is handed over to an agent', async () => {
    const asterisk = fakeMedia();
    const svc = service(asterisk.media, []);
    await svc.callEntered('ch4', ['c4', '200', 'audio', 'queue', 'sales'], { number: '558', name: 'D' });
    await svc.handOver('ch4', 'softacd', ['return', 'c4']);
    expect(asterisk.tags.get('ch4')).to.equal('');
  });
});
