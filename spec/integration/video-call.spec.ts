import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EXCHANGES } from '../../lib/bus/topology';
import { sipPassword } from '../../stasis-app/provisioning/agent-endpoints';
import { agentEvents, agentIdOf, registerPhone } from '../support/agents';
import { ari } from '../support/ari';
import { BusObserver, eventually } from '../support/bus-observer';
import { expect } from '../support/chai';
import {
  type AsteriskRtpStats,
  type MediaCount,
  LoopbackCapture,
  asteriskRtpStats,
  channelVariable,
  summary,
} from '../support/rtp-capture';
import { writePhoneMedia } from '../support/rtp-pcap';
import { requireSystem } from '../support/servers';

/**
 * A video caller reaches agent 1001 and both see each other: the caller (sipp) offers audio + H.264
 * (then VP8), waits in the sales queue (number 200), CTI offers the call to the Ready agent, SoftACD
 * rings the agent's registered sipp phone and bridges both legs. Both phones send the prompt builder's
 * media (rtp-pcap.ts); tcpdump on `lo` (rtp-capture.ts) counts RTP per phone, media and direction, and
 * recognises each phone's video payloads byte for byte at the other phone, which proves the video
 * passed through Asterisk both ways without transcoding. Asterisk's own RTP counters and the
 * negotiated video format of both channels are read through ARI while the call is bridged.
 */

const PROMPTS = path.resolve(__dirname, '..', '..', 'asterisk', 'prompts', 'build');
const SCENARIOS = path.resolve(__dirname, '..', 'sipp');
const FPS = 15; // the prompt builder's frame rate (docs/prompts.md)
const AUDIO_PPS = 50; // PCMU, 20 ms per packet
const CALLER = { name: 'caller', audio: 16000, video: 16002, sip: 5311 };
const AGENT = { name: 'agent', audio: 16100, video: 16102, sip: 5310 };
/** Caller's talk time: sipp -d, restarted by any re-INVITE Asterisk sends when it bridges (~8 s bridged). */
const CALLER_HOLD_MS = Number(process.env.VIDEO_CALL_HOLD_MS ?? 8000);
/** What is counted as flowing: at least this share of the packets the bridged time should carry. */
const SHARE = 0.5;

const CODECS = {
  h264: { sdp: 'H264', callerPt: 96, fmtp: 'profile-level-id=42e01f;packetization-mode=1', prompt: 'menu' },
  vp8: { sdp: 'VP8', callerPt: 97, fmtp: 'max-fr=30;max-fs=3600', prompt: 'menu' },
} as const;

interface SippRun {
  code: number;
  stdout: string;
}

/** sipp with its working directory in `dir`, where the scenario finds audio.ulaw and video.pcap. */
function sippIn(
  dir: string,
  scenario: string,
  o: {
    service: string;
    port: number;
    mediaPort: number;
    holdMs: number;
    vars: Record<string, string>;
    extra?: string[];
  },
): Promise<SippRun> {
  const target = `${process.env.SIP_HOST ?? '127.0.0.1'}:${process.env.SIP_PORT ?? '5060'}`;
  const args = [target, '-sf', path.join(SCENARIOS, scenario), '-s', o.service, '-i', '127.0.0.1'];
  args.push('-p', String(o.port), '-mp', String(o.mediaPort), '-m', '1', '-d', String(o.holdMs));
  args.push('-nostdin', '-timeout', '50s', '-timeout_error', '-trace_msg', '-trace_err');
  for (const [k, v] of Object.entries(o.vars)) args.push('-set', k, v);
  args.push(...(o.extra ?? []));
  return new Promise((resolve, reject) => {
    execFile('sipp', args, { cwd: dir, timeout: 60_000 }, (err, stdout) => {
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new Error('sipp is not installed (Debian package sip-tester)'));
        return;
      }
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout });
    });
  });
}

/** The SIP messages sipp traced (-trace_msg) in `dir`. */
async function sipTrace(dir: string): Promise<string> {
  const files = (await fs.readdir(dir)).filter((f) => f.endsWith('_messages.log'));
  const texts = await Promise.all(files.map((f) => fs.readFile(path.join(dir, f), 'utf8')));
  return texts.join('\n');
}

/** Payload type that the SDPs a phone received (sipp -trace_msg) last gave `codec`. */
function offeredPt(trace: string, codec: string): number | undefined {
  const received = trace
    .split(/^-{10,}.*$/m)
    .filter((block) => /message received/.test(block))
    .join('\n');
  const all = [...received.matchAll(new RegExp(`a=rtpmap:(\\d+) ${codec}/90000`, 'gi'))];
  const last = all[all.length - 1];
  return last?.[1] === undefined ? undefined : Number(last[1]);
}

/** The INVITEs a phone received (sipp -trace_msg), in order: the first is the call, the others re-INVITEs. */
function receivedInvites(trace: string): string[] {
  return trace
    .split(/^-{10,}.*$/m)
    .filter((block) => /message received/.test(block) && /^\s*INVITE sip:/m.test(block));
}

/** Payload types of those packets. */
function ptsFromOther(m: MediaCount, other: Set<string>, own: Set<string>): number[] {
  return [...new Set(m.pts.filter((_, i) => other.has(m.hashes[i] ?? '') && !own.has(m.hashes[i] ?? '')))];
}

/** The packets of `m` whose payload is one the other phone sent and this one did not. */
function fromOther(m: MediaCount, other: Set<string>, own: Set<string>): number {
  return m.hashes.filter((h) => other.has(h) && !own.has(h)).length;
}

describe('video call: caller and agent see each other (audio + video both ways, no transcoding)', function () {
  this.timeout(90_000);
  const bus = new BusObserver();
  let agentId = '';
  // Other suites publish malformed messages on purpose (dead-letter tests): skip bodies that are not objects.
  const valid = () => bus.seen.filter((s) => typeof s.body === 'object' && s.body !== null);
  const forContact = (contactId: string) => valid().filter((s) => s.body.contactId === contactId);

  before(async () => {
    await requireSystem(['rabbitmq', 'asterisk', 'docstore', 'softacd', 'ivr', 'cti']);
    await bus.start([EXCHANGES.events, EXCHANGES.commands]);
    agentId = await agentIdOf('1001');
    await registerPhone('agent1001', AGENT.sip);
  });
  after(async () => {
    await agentEvents(agentId, ['AgentLogout']).catch(() => undefined);
    await bus.stop();
  });

  for (const codec of ['h264', 'vp8'] as const) {
    const c = CODECS[codec];
    it(`${c.sdp}: bridged caller and agent exchange audio and ${c.sdp} video both ways, untouched`, async () => {
      const work = await fs.mkdtemp(path.join(os.tmpdir(), `ipcc-video-${codec}-`));
      await runCall(work, codec);
      await fs.rm(work, { recursive: true, force: true }); // kept for a look when the test fails
    });
  }

  async function runCall(work: string, codec: keyof typeof CODECS): Promise<void> {
    const c = CODECS[codec];
    const callerDir = path.join(work, 'caller');
    const agentDir = path.join(work, 'agent');
    // Asterisk offers the agent leg its own payload types (rtp_engine.c: H264 99, VP8 100 unless
    // remapped); the agent phone answers with the type Asterisk offered, read from the INVITE below.
    const agentPt = codec === 'h264' ? 99 : 100;
    const durationMs = CALLER_HOLD_MS + 15_000; // covers the IVR and queue before the bridge
    const caller = await writePhoneMedia({
      dir: callerDir,
      promptDir: PROMPTS,
      prompt: c.prompt,
      codec,
      videoPayloadType: c.callerPt,
      durationMs,
      ssrc: 0x11110001,
    });
    const agent = await writePhoneMedia({
      dir: agentDir,
      promptDir: PROMPTS,
      prompt: 'goodbye',
      codec,
      videoPayloadType: agentPt,
      durationMs,
      ssrc: 0x22220001,
    });

    const capture = new LoopbackCapture(work, [CALLER, AGENT]);
    await capture.start();
    await agentEvents(agentId, ['AgentLogout', 'AgentLogin', 'AgentReady']);
    const secret = process.env.AGENT_SIP_SECRET ?? '';
    const phone = sippIn(agentDir, 'video-agent.xml', {
      service: 'agent1001',
      port: AGENT.sip,
      mediaPort: AGENT.audio,
      holdMs: 500,
      vars: { vcodec: c.sdp, vpt: String(agentPt), vfmtp: c.fmtp },
      extra: ['-au', 'agent1001', '-ap', sipPassword(secret, 'agent1001')],
    });
    await new Promise((r) => setTimeout(r, 300));
    const callingNumber = `1555${Math.floor(Math.random() * 1e7)}`.padEnd(11, '0');
    const call = sippIn(callerDir, 'video-caller.xml', {
      service: '200',
      port: CALLER.sip,
      mediaPort: CALLER.audio,
      holdMs: CALLER_HOLD_MS,
      vars: {
        caller: callingNumber,
        caller_name: 'Video Caller',
        vcodec: c.sdp,
        vpt: String(c.callerPt),
        vfmtp: c.fmtp,
      },
    });

    // While the call is bridged: both channels' negotiated video and Asterisk's RTP counters.
    const delivered = await eventually(
      'CallDelivered for the video caller',
      () => valid().find((s) => s.body.type === 'CallDelivered' && s.body.callingNumber === callingNumber),
      15_000,
    );
    const contactId = String(delivered.body.contactId);
    const callerChannel = String(delivered.body.channelId);
    const established = await eventually(
      'Established (caller and agent bridged)',
      () => forContact(contactId).find((s) => s.body.type === 'Established'),
      CALLER_HOLD_MS,
    ).catch((err: Error) => {
      const seen = forContact(contactId).map((s) => `${String(s.body.type)}@${String(s.body.at)}`);
      throw new Error(`${err.message}; seen: ${seen.join(', ')}`);
    });
    const agentLeg = forContact(contactId).find(
      (s) => s.body.type === 'CallDelivered' && (s.body.deliveredTo as { kind?: string })?.kind === 'agent',
    );
    const agentChannel = String(agentLeg?.body.channelId);
    const formats = {
      caller: await channelVariable(callerChannel, 'CHANNEL(videonativeformat)'),
      agent: await channelVariable(agentChannel, 'CHANNEL(videonativeformat)'),
    };
    const stats: Record<string, AsteriskRtpStats | undefined> = {};
    const sample = async () => {
      const read = await Promise.all([
        asteriskRtpStats(callerChannel, 'audio'),
        asteriskRtpStats(callerChannel, 'video'),
        asteriskRtpStats(agentChannel, 'audio'),
        asteriskRtpStats(agentChannel, 'video'),
      ]);
      if (read.every((r) => r !== undefined)) {
        [stats.callerAudio, stats.callerVideo, stats.agentAudio, stats.agentVideo] = read;
      }
    };
    const sampler = setInterval(() => void sample(), 500);
    let callRun: SippRun;
    let phoneRun: SippRun;
    try {
      [callRun, phoneRun] = await Promise.all([call, phone]);
    } finally {
      clearInterval(sampler);
    }
    const [callerCounts, agentCounts] = await capture.counts();
    expect(callRun.code, `caller sipp failed:\n${callRun.stdout.slice(-1500)}`).to.equal(0);
    expect(phoneRun.code, `agent sipp failed:\n${phoneRun.stdout.slice(-1500)}`).to.equal(0);
    if (callerCounts === undefined || agentCounts === undefined) throw new Error('no counts');

    const cleared = await eventually('ConnectionCleared', () =>
      forContact(contactId).find((s) => s.body.type === 'ConnectionCleared'),
    );
    const bridgedMs = Date.parse(String(cleared.body.at)) - Date.parse(String(established.body.at));
    const minVideo = Math.floor((SHARE * FPS * bridgedMs) / 1000);
    const minAudio = Math.floor((SHARE * AUDIO_PPS * bridgedMs) / 1000);

    // What each side received in the SDP, and what Asterisk offered the agent.
    const agentTrace = await sipTrace(agentDir);
    const offered = offeredPt(agentTrace, c.sdp);
    // SoftACD originates a video caller's agent with the caller as originator: video in the first offer.
    const invites = receivedInvites(agentTrace);

    // Byte-identical payloads from the other phone = passed through without transcoding.
    const callerToAgentVideo = fromOther(
      agentCounts.received.video,
      caller.videoPayloads,
      agent.videoPayloads,
    );
    const agentToCallerVideo = fromOther(
      callerCounts.received.video,
      agent.videoPayloads,
      caller.videoPayloads,
    );
    // Audio: rtp_stream loops its file without 160-byte alignment, so count PCMU after the bridge.
    const bridgedAt = Date.parse(String(established.body.at));
    const afterBridge = (m: MediaCount) =>
      m.pts.filter((pt, i) => pt === 0 && (m.times[i] ?? 0) >= bridgedAt).length;
    const callerToAgentAudio = afterBridge(agentCounts.received.audio);
    const agentToCallerAudio = afterBridge(callerCounts.received.audio);

    console.log(`      ${c.sdp}: bridged ${bridgedMs} ms; thresholds video ${minVideo}, audio ${minAudio}`);
    console.log(`      ${summary('caller', callerCounts)}`);
    console.log(`      ${summary('agent', agentCounts)}`);
    console.log(
      `      passed through: caller->agent video ${callerToAgentVideo}, audio ${callerToAgentAudio}; ` +
        `agent->caller video ${agentToCallerVideo}, audio ${agentToCallerAudio}`,
    );
    console.log(`      Asterisk RTP stats (last sample while bridged): ${JSON.stringify(stats)}`);
    console.log(
      `      videonativeformat caller ${formats.caller}, agent ${formats.agent}; agent offered pt ${offered}`,
    );

    console.log(
      `      agent INVITEs received: ${invites.length} (first offers video: ${/m=video [1-9]/.test(invites[0] ?? '')})`,
    );
    expect(delivered.body.media, 'CallDelivered media for a video caller').to.equal('audio+video');
    expect(invites[0] ?? '', "the agent's first INVITE offers video").to.match(
      new RegExp(`m=video [1-9][0-9]* [^\\n]*\\n(?:[^\\n]*\\n)*?a=rtpmap:${agentPt} ${c.sdp}/90000`, 'i'),
    );
    expect(offered, `Asterisk's offer to the agent maps ${c.sdp} to payload type ${agentPt}`).to.equal(
      agentPt,
    );
    expect(formats, 'both legs negotiated the same video codec').to.deep.equal({
      caller: `(${codec})`,
      agent: `(${codec})`,
    });
    expect(bridgedMs, 'bridged time').to.be.greaterThan(4000);
    expect(callerToAgentVideo, 'caller->agent video packets').to.be.at.least(minVideo);
    expect(agentToCallerVideo, 'agent->caller video packets').to.be.at.least(minVideo);
    expect(callerToAgentAudio, 'caller->agent audio packets').to.be.at.least(minAudio);
    expect(agentToCallerAudio, 'agent->caller audio packets').to.be.at.least(minAudio);
    // Each phone got the other's video under the payload type it negotiated itself.
    expect(ptsFromOther(agentCounts.received.video, caller.videoPayloads, agent.videoPayloads)).to.deep.equal(
      [agentPt],
    );
    expect(
      ptsFromOther(callerCounts.received.video, agent.videoPayloads, caller.videoPayloads),
    ).to.deep.equal([c.callerPt]);
    // Asterisk's own counters agree that both legs carried video both ways.
    for (const key of ['callerVideo', 'agentVideo', 'callerAudio', 'agentAudio'] as const) {
      const s = stats[key];
      const min = key.endsWith('Video') ? minVideo : minAudio;
      expect(s, `Asterisk RTP stats for ${key}`).to.not.equal(undefined);
      expect(s?.rxcount, `${key} rxcount`).to.be.at.least(min);
      expect(s?.txcount, `${key} txcount`).to.be.at.least(min);
    }

    // Nothing of this call is left in Asterisk (other suites may have calls of their own running).
    const ours = [callerChannel, agentChannel];
    const left = await eventually(
      'Asterisk without this call',
      async () => {
        const channels = await ari.get<Array<{ id: string }>>('/channels');
        const bridges = await ari.get<Array<{ id: string; channels: string[] }>>('/bridges');
        const state = {
          channels: channels.filter((ch) => ours.includes(ch.id)).map((ch) => ch.id),
          bridges: bridges.filter((b) => b.channels.some((id) => ours.includes(id))).map((b) => b.id),
        };
        return state.channels.length + state.bridges.length === 0 ? state : undefined;
      },
      3000,
    );
    expect(left).to.deep.equal({ channels: [], bridges: [] });
  }
});
