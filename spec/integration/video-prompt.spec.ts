import os from 'node:os';
import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { EXCHANGES } from '../../lib/bus/topology';
import { BusObserver, eventually } from '../support/bus-observer';
import { expect } from '../support/chai';
import { LoopbackCapture } from '../support/rtp-capture';
import { requireSystem } from '../support/servers';
import { sipp } from '../support/sipp';

/**
 * The welcome prompt's video reaches an H.264 caller as H.264, under the payload type the caller
 * offered. With `.h264` and `.vp8` beside each other Asterisk sent this caller VP8 under payload type
 * 100, which a real H.264 phone drops; the IVR now plays from the codec's own prompt directory.
 */
describe('video prompt codec: an H.264 caller is sent H.264', function () {
  this.timeout(30_000);
  const bus = new BusObserver();
  let dir = '';

  before(async () => {
    await requireSystem(['rabbitmq', 'asterisk', 'softacd', 'ivr', 'cti']);
    await bus.start([EXCHANGES.events]);
    dir = await mkdtemp(path.join(os.tmpdir(), 'ipcc-vprompt-'));
  });
  after(async () => {
    await bus.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('sends the welcome video only under payload type 96 (H264/90000 in the offer)', async () => {
    const media = 16_500;
    const capture = new LoopbackCapture(dir, [{ name: 'caller', audio: media, video: media + 2 }]);
    await capture.start();
    const caller = '15554440001';
    const run = await sipp('ivr-video-caller.xml', {
      service: '100',
      localPort: 5075,
      holdMs: 3500,
      vars: { caller, caller_name: 'H264 Prompt' },
      extra: ['-mp', String(media)],
    });
    const [counts] = await capture.counts();
    expect(run.code, run.stdout.slice(-600)).to.equal(0);
    await eventually('call delivered', () => bus.seen.find((s) => s.body.callingNumber === caller));
    const video = counts!.received.video;
    console.log(
      `      video to the caller: ${video.packets} packets, payload types ${JSON.stringify(video.payloadTypes)}`,
    );
    expect(video.packets, 'video packets to the caller').to.be.greaterThan(20);
    expect(Object.keys(video.payloadTypes)).to.deep.equal(['96']);
  });
});
