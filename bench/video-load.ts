/**
 * Benchmark 3 (issue 5): concurrent caller→agent H.264 video calls through the project (Asterisk passes the
 * video through, no transcoding), more at each step until CPU or packet loss limits.
 *
 *   npx tsx bench/video-load.ts [--steps 1,2,4,8,12,16] [--talk-ms 20000]
 *
 * Needs the system up and the system lock (`npm run bench` takes it). Per step: Asterisk and the project
 * restarted; N bench agents (bench001…) each with its own sipp video phone (spec/sipp/video-agent.xml,
 * registered by bench/support/register.ts) signed in and Ready over interface A; N sipp video callers
 * (spec/sipp/video-caller.xml: PCMU + H.264 at 15 frames/s from the prompt builder's files, spec/support/rtp-pcap.ts)
 * call number 9902 (welcome, then the bench queue). Once all N are bridged, Asterisk's own RTP counters of every
 * leg (CHANNEL(rtcp,all,audio|video) through ARI) are read twice, 8 s apart: packets per second = the
 * difference / time; loss = packets Asterisk found missing in the sequence numbers (lp) / (received + lost).
 * CPU is measured over the same 8 s. Writes bench/results/video-load.{json,md} and video-load.png.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { EXCHANGES } from '../lib/bus/topology';
import { sipPassword } from '../stasis-app/provisioning/agent-endpoints';
import { ari } from '../spec/support/ari';
import { BusObserver } from '../spec/support/bus-observer';
import { writePhoneMedia } from '../spec/support/rtp-pcap';
import { PROJECT_NUMBER, cleanDirectory, endpointOf, seedDirectory, signIn } from './support/bench-agents';
import {
  agentEndpoints,
  log,
  processGroups,
  restartSystem,
  runDir,
  script,
  sleep,
} from './support/bench-system';
import { cpuSeconds, loadAverage, type ProcGroup } from './support/proc';
import { writeJson } from './support/json';
import { registerMany } from './support/register';
import { startSipp, stopSipp, type SippProcess } from './support/sipp';
import { fmt } from './support/stats';
import { chart, max, report, type VideoStep } from './video-load-report';

export type { VideoStep };

const ROOT = path.resolve(__dirname, '..');
const RESULTS = path.join(__dirname, 'results');
const PROMPTS = path.join(ROOT, 'asterisk', 'prompts', 'build');
const SCENARIOS = path.join(ROOT, 'spec', 'sipp');
const H264 = { sdp: 'H264', callerPt: 96, agentPt: 99, fmtp: 'profile-level-id=42e01f;packetization-mode=1' };
const WINDOW_MS = 8000;

interface LegStats {
  rxcount: number;
  txcount: number;
  lp: number;
}

function parseArgs(argv: string[]): { steps: number[]; talkMs: number; merge: boolean } {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  return {
    steps: (get('steps') ?? '1,2,4,8,12,16').split(',').map(Number),
    talkMs: Number(get('talk-ms') ?? 20_000),
    /** Add to (replace the same step in) the steps already in bench/results/video-load.json. */
    merge: argv.includes('--merge'),
  };
}

async function legStats(channelId: string, media: 'audio' | 'video'): Promise<LegStats | undefined> {
  const variable = encodeURIComponent(`CHANNEL(rtcp,all,${media})`);
  const { value } = await ari
    .get<{ value: string }>(`/channels/${encodeURIComponent(channelId)}/variable?variable=${variable}`)
    .catch(() => ({ value: '' }));
  const fields = new Map(
    value
      .split(';')
      .map((kv) => kv.split('='))
      .filter((kv): kv is [string, string] => kv.length === 2),
  );
  if (!fields.has('rxcount')) return undefined;
  const n = (k: string): number => Number(fields.get(k) ?? NaN);
  return { rxcount: n('rxcount'), txcount: n('txcount'), lp: n('lp') };
}

async function videoFormat(channelId: string): Promise<string> {
  const variable = encodeURIComponent('CHANNEL(videonativeformat)');
  const { value } = await ari
    .get<{ value: string }>(`/channels/${encodeURIComponent(channelId)}/variable?variable=${variable}`)
    .catch(() => ({ value: '' }));
  return value;
}

function linkMedia(from: string, dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const f of ['audio.ulaw', 'video.pcap']) symlinkSync(path.join(from, f), path.join(dir, f));
}

async function runStep(n: number, agentIds: string[], talkMs: number, work: string): Promise<VideoStep> {
  const dir = path.join(work, `step-${n}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  log(`video step ${n} calls: restarting Asterisk and the services`);
  await restartSystem();
  const secret = process.env.AGENT_SIP_SECRET ?? '';
  const agents: SippProcess[] = [];
  const callers: SippProcess[] = [];
  const bus = new BusObserver();
  await bus.start([EXCHANGES.events]);
  let clients: Awaited<ReturnType<typeof signIn>> = [];
  try {
    for (let i = 0; i < n; i++) {
      const endpoint = endpointOf(i);
      await registerMany({
        host: process.env.SIP_HOST ?? '127.0.0.1',
        port: Number(process.env.SIP_PORT ?? 5060),
        localPort: 5500 + i,
        phones: [{ user: endpoint, password: sipPassword(secret, endpoint) }],
      });
      const agentDir = path.join(dir, `agent-${i}`);
      linkMedia(path.join(work, 'media-agent'), agentDir);
      agents.push(
        startSipp(agentDir, [
          '-sf',
          path.join(SCENARIOS, 'video-agent.xml'),
          '-p',
          String(5500 + i),
          '-mp',
          String(30000 + i * 10),
          '-m',
          '1',
          '-d',
          '300',
          '-set',
          'vcodec',
          H264.sdp,
          '-set',
          'vpt',
          String(H264.agentPt),
          '-set',
          'vfmtp',
          H264.fmtp,
        ]),
      );
    }
    clients = await signIn(agentIds.slice(0, n));
    const loadBefore = loadAverage();
    for (let i = 0; i < n; i++) {
      const callerDir = path.join(dir, `caller-${i}`);
      linkMedia(path.join(work, 'media-caller'), callerDir);
      callers.push(
        startSipp(callerDir, [
          '-sf',
          path.join(SCENARIOS, 'video-caller.xml'),
          '-s',
          PROJECT_NUMBER,
          '-p',
          String(5700 + i),
          '-mp',
          String(34000 + i * 10),
          '-m',
          '1',
          '-d',
          String(talkMs),
          '-timeout',
          `${Math.round(talkMs / 1000) + 60}s`,
          '-set',
          'caller',
          `155500${String(i).padStart(5, '0')}`,
          '-set',
          'caller_name',
          'Video',
          '-set',
          'vcodec',
          H264.sdp,
          '-set',
          'vpt',
          String(H264.callerPt),
          '-set',
          'vfmtp',
          H264.fmtp,
        ]),
      );
      await sleep(250);
    }
    // Every call bridged (Established), or as many as made it within 30 s.
    const deadline = Date.now() + 30_000;
    const establishedContacts = (): Set<string> =>
      new Set(bus.seen.filter((s) => s.body.type === 'Established').map((s) => String(s.body.contactId)));
    while (establishedContacts().size < n && Date.now() < deadline) await sleep(250);
    await sleep(3000);
    const contacts = [...establishedContacts()];
    const legsOf = (contact: string): string[] =>
      bus.seen
        .filter(
          (s) =>
            s.body.contactId === contact &&
            s.body.type === 'CallDelivered' &&
            ['acd', 'agent'].includes(String((s.body.deliveredTo as { kind?: string } | undefined)?.kind)),
        )
        .map((s) => String(s.body.channelId));
    const legs = contacts.map(legsOf);
    let passthrough = 0;
    for (const pair of legs) {
      const formats = await Promise.all(pair.map(videoFormat));
      if (pair.length === 2 && formats.every((f) => f === '(h264)')) passthrough++;
    }
    const read = async (): Promise<Array<Array<{ audio?: LegStats; video?: LegStats }>>> =>
      Promise.all(
        legs.map((pair) =>
          Promise.all(
            pair.map(async (ch) => ({
              audio: await legStats(ch, 'audio'),
              video: await legStats(ch, 'video'),
            })),
          ),
        ),
      );
    const groups: ProcGroup[] = [
      ...processGroups(),
      { name: 'sipp', roots: [...agents, ...callers].map((p) => p.child.pid ?? 0) },
    ];
    const s1 = await read();
    const cpu0 = cpuSeconds(groups);
    const t0 = Date.now();
    await sleep(WINDOW_MS);
    const s2 = await read();
    const cpu1 = cpuSeconds(groups);
    const dt = (Date.now() - t0) / 1000;
    const loadAfter = loadAverage();
    const videoRxPps: number[] = [];
    const videoTxPps: number[] = [];
    const audioRxPps: number[] = [];
    const videoLossPct: number[] = [];
    let totalPackets = 0;
    // A call counts only if both legs carried video at both readings (it was up for the whole window).
    const measured = legs.filter(
      (pair, c) =>
        pair.length === 2 &&
        pair.every((_, l) => s1[c]?.[l]?.video !== undefined && s2[c]?.[l]?.video !== undefined),
    ).length;
    legs.forEach((pair, c) => {
      let vrx = 0;
      let vtx = 0;
      let arx = 0;
      let lost = 0;
      let received = 0;
      pair.forEach((_, l) => {
        const a = s1[c]?.[l];
        const b = s2[c]?.[l];
        for (const m of ['audio', 'video'] as const) {
          const x = a?.[m];
          const y = b?.[m];
          if (x === undefined || y === undefined) continue;
          const rx = y.rxcount - x.rxcount;
          const tx = y.txcount - x.txcount;
          totalPackets += rx + tx;
          if (m === 'video') {
            vrx += rx;
            vtx += tx;
            lost += Math.max(0, y.lp);
            received += y.rxcount;
          } else {
            arx += rx;
          }
        }
      });
      videoRxPps.push(vrx / dt);
      videoTxPps.push(vtx / dt);
      audioRxPps.push(arx / dt);
      videoLossPct.push(received + lost > 0 ? (lost / (received + lost)) * 100 : NaN);
    });
    const cpu: Record<string, number> = {};
    for (const g of groups) cpu[g.name] = (((cpu1.get(g.name) ?? 0) - (cpu0.get(g.name) ?? 0)) / dt) * 100;
    const step: VideoStep = {
      calls: n,
      established: contacts.length,
      measured,
      videoRxPps,
      videoTxPps,
      audioRxPps,
      videoLossPct,
      passthrough,
      totalPps: totalPackets / dt,
      cpu,
      loadBefore,
      loadAfter,
      settings: { talkMs, windowS: dt, node: process.version, cores: availableParallelism() },
    };
    log(
      `video step ${n}: ${contacts.length} bridged, ${passthrough} H.264 passthrough, ${Math.round(step.totalPps)} RTP packets/s through Asterisk, ` +
        `Asterisk CPU ${fmt(cpu.asterisk)}%, worst video loss ${fmt(Math.max(...videoLossPct.filter((x) => !Number.isNaN(x)), 0))}%`,
    );
    return step;
  } finally {
    // The figures are taken: calls still talking are cut (the next step restarts Asterisk anyway).
    await Promise.all(callers.map((c) => stopSipp(c, 3000)));
    await Promise.all(agents.map((a) => stopSipp(a, 3000)));
    for (const c of clients) {
      c.send({ type: 'logout' });
      c.close();
    }
    await bus.stop();
  }
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const started = new Date();
  const commandLine = `npx tsx bench/video-load.ts ${process.argv.slice(2).join(' ')}`.trim();
  if (process.argv.includes('--report-only')) {
    // Redraws the report and chart from the stored steps (each names the run that measured it).
    const stored = JSON.parse(readFileSync(path.join(RESULTS, 'video-load.json'), 'utf8')) as {
      started: string;
      steps: VideoStep[];
    };
    writeFileSync(
      path.join(RESULTS, 'video-load.md'),
      report(stored.steps, new Date(stored.started), commandLine),
    );
    await chart(stored.steps, path.join(RESULTS, 'video-load.png'));
    return;
  }
  const maxN = Math.max(...o.steps);
  const work = path.join(runDir(), 'bench', 'video');
  rmSync(work, { recursive: true, force: true });
  const durationMs = o.talkMs + 25_000;
  await writePhoneMedia({
    dir: path.join(work, 'media-caller'),
    promptDir: PROMPTS,
    prompt: 'menu',
    codec: 'h264',
    videoPayloadType: H264.callerPt,
    durationMs,
    ssrc: 0x11110001,
  });
  await writePhoneMedia({
    dir: path.join(work, 'media-agent'),
    promptDir: PROMPTS,
    prompt: 'goodbye',
    codec: 'h264',
    videoPayloadType: H264.agentPt,
    durationMs,
    ssrc: 0x22220001,
  });
  log(`seeding ${maxN} bench agents`);
  const agentIds = await seedDirectory(maxN);
  agentEndpoints();
  const steps: VideoStep[] = [];
  try {
    for (const n of o.steps) {
      const step = await runStep(n, agentIds, o.talkMs, work);
      steps.push(step);
      // The limit: a call not bridged, loss above 1% on any call, or Asterisk above 90% of a core.
      if (step.measured !== n) {
        log(
          `video step ${n}: only ${step.measured} calls were up for the whole window (longer --talk-ms needed)`,
        );
        break;
      }
      if (step.established < n || max(step.videoLossPct) > 1 || (step.cpu.asterisk ?? 0) > 90) {
        log(`video limit reached at ${n} calls`);
        break;
      }
    }
  } finally {
    log('cleaning up: bench agents removed; system back as up.sh leaves it');
    await cleanDirectory();
    agentEndpoints();
    script('services.sh', 'stop');
    script('asterisk.sh', 'stop');
    script('up.sh');
  }
  mkdirSync(RESULTS, { recursive: true });
  const file = path.join(RESULTS, 'video-load.json');
  const mine = steps.map((s) => ({ ...s, by: `${commandLine} (${started.toISOString()})` }));
  let all: VideoStep[] = mine;
  if (o.merge && existsSync(file)) {
    const before = JSON.parse(readFileSync(file, 'utf8')) as { steps: VideoStep[] };
    const fresh = new Set(mine.map((s) => s.calls));
    all = [...before.steps.filter((s) => !fresh.has(s.calls)), ...mine].sort((x, y) => x.calls - y.calls);
  }
  await writeJson(file, { options: o, started, steps: all });
  writeFileSync(path.join(RESULTS, 'video-load.md'), report(all, started, commandLine));
  await chart(all, path.join(RESULTS, 'video-load.png'));
  log('wrote bench/results/video-load.{md,json,png}');
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
