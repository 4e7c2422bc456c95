/**
 * ARI client cost (issue 15: "two ARI REST clients: one"): ari-client against the project's own
 * client (stasis-app/ari/rest.ts for REST, event-socket.ts for events), each driving the same stand-in
 * Asterisk, which runs in a child process so the client's CPU is measured alone. The stand-in serves
 * Asterisk's own API description (its rest-api directory), answers every REST call at once, and pushes
 * bursts of events shaped as Asterisk 22 sends them. No Asterisk, no other server.
 *
 *   npx tsx bench/ari-clients.ts                  # bench/results/ari-clients.{json,md}
 *   npx tsx bench/ari-clients.ts --requests 2000 --calls 2000
 */
import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import ari from 'ari-client';
import winston from 'winston';
import { WebSocketServer } from 'ws';
import { CONNECTED } from '../stasis-app/ari/event-socket';
import { connectAri } from '../stasis-app/ari/connection';
import { writeJson } from './support/json';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const API_DOCS = arg(
  'api-docs',
  join(process.env.IPCC_CHROOT ?? '/var/lib/ipcc/sid', 'usr/share/asterisk/rest-api'),
);
const REQUESTS = Number(arg('requests', '3000'));
const CALLS = Number(arg('calls', '3000'));
const CONCURRENCY = 16;

/** One call's events at a Stasis app (channel in, ringing, variables set, a prompt, hang-up). */
function callEvents(i: number): object[] {
  const at = '2026-12-07T12:00:00.000+0000';
  const channel = {
    id: `1765108800.${i}`,
    name: `PJSIP/caller-${String(i).padStart(8, '0')}`,
    state: 'Up',
    protocol_id: `${i}-abcdef@127.0.0.1`,
    caller: { name: 'Bench Caller', number: '5551234' },
    connected: { name: '', number: '' },
    accountcode: '',
    dialplan: {
      context: 'from-customers',
      exten: '5000',
      priority: 3,
      app_name: 'Stasis',
      app_data: 'softacd',
    },
    creationtime: at,
    language: 'en',
    channelvars: {},
  };
  const base = { application: 'bench', timestamp: at, asterisk_id: '02:fc:00:00:00:01' };
  const playback = {
    id: `pb-${i}`,
    media_uri: 'sound:ipcc/welcome',
    target_uri: `channel:${channel.id}`,
    language: 'en',
    state: 'done',
  };
  return [
    { ...base, type: 'StasisStart', args: ['5000'], channel },
    { ...base, type: 'ChannelStateChange', channel: { ...channel, state: 'Ringing' } },
    { ...base, type: 'ChannelVarset', variable: 'IPCC_CALL', value: `c-${i}`, channel },
    { ...base, type: 'ChannelVarset', variable: 'IPCC_AGENT', value: '1001', channel },
    { ...base, type: 'PlaybackStarted', playback: { ...playback, state: 'playing' } },
    { ...base, type: 'PlaybackFinished', playback },
    { ...base, type: 'ChannelHangupRequest', cause: 16, channel },
    { ...base, type: 'StasisEnd', channel },
    { ...base, type: 'ChannelDestroyed', cause: 16, cause_txt: 'Normal Clearing', channel },
  ];
}
const EVENTS_PER_CALL = callEvents(0).length;

/** The stand-in Asterisk (child process): prints its port, counts requests and connections. */
function stub(): void {
  let requests = 0;
  let connections = 0;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/bench/count') {
      res.end(JSON.stringify({ requests, connections }));
      requests = 0;
      connections = 0;
      return;
    }
    requests += 1;
    req.resume();
    req.on('end', () => {
      const doc = /^\/ari\/api-docs\/(\w+)\.json$/.exec(url.pathname)?.[1];
      if (doc !== undefined) {
        // Asterisk writes its own address into basePath; swagger-client sends every call there.
        const text = readFileSync(join(API_DOCS, `${doc}.json`), 'utf8').replace(
          /"basePath": "[^"]*"/,
          `"basePath": "http://${req.headers.host}/ari"`,
        );
        res.writeHead(200, { 'content-type': 'application/json' }).end(text);
      } else if (url.pathname.endsWith('/variable')) {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"value":"c-1"}');
      } else if (url.pathname === '/ari/asterisk/ping') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ping":"pong"}');
      } else res.writeHead(204).end();
    });
  });
  server.on('connection', () => (connections += 1));
  const wss = new WebSocketServer({ server, path: '/ari/events' });
  // A burst is asked for over HTTP (POST /bench/burst?calls=N): every open socket gets N calls' events.
  server.prependListener('request', (req: http.IncomingMessage) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/bench/burst') return;
    const calls = Number(url.searchParams.get('calls'));
    for (const ws of wss.clients)
      for (let i = 0; i < calls; i++) for (const e of callEvents(i)) ws.send(JSON.stringify(e));
  });
  server.listen(0, '127.0.0.1', () => {
    process.send?.((server.address() as { port: number }).port);
  });
}

interface Cost {
  wallMs: number;
  cpuMs: number;
  /** HTTP requests the stand-in received (and TCP connections it accepted) during the run. */
  requests: number;
  connections: number;
}

async function measure(url: string, work: () => Promise<void>): Promise<Cost> {
  await fetch(`${url}/bench/count`).then((r) => r.text());
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await work();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const counts = (await (await fetch(`${url}/bench/count`)).json()) as {
    requests: number;
    connections: number;
  };
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, ...counts };
}

/** `n` requests, `CONCURRENCY` at a time. */
async function pool(n: number, one: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < n) await one(next++);
    }),
  );
}

async function main(): Promise<void> {
  const child: ChildProcess = fork(__filename, ['--stub', '--api-docs', API_DOCS], {
    execArgv: process.execArgv,
  });
  const port = await new Promise<number>((r) => child.once('message', (m) => r(Number(m))));
  const url = `http://127.0.0.1:${port}`;
  const settings = { url, user: 'bench', password: 'bench' };
  const log = winston.createLogger({ silent: true });
  const results: Record<string, Record<string, Cost>> = {};
  try {
    // Warm-up of both (module loading, JIT), not measured.
    const warm = await ari.connect(url, 'bench', 'bench');
    await warm.channels.answer({ channelId: 'warm' });
    const own = await connectAri(settings, log);
    await own.rest.post('channels/warm/answer');

    let client: ari.Client | undefined;
    let ours: Awaited<ReturnType<typeof connectAri>> | undefined;
    results.connect = {
      'ari-client': await measure(url, async () => {
        client = await ari.connect(url, 'bench', 'bench');
      }),
      own: await measure(url, async () => {
        ours = await connectAri(settings, log);
      }),
    };
    const c = client!;
    const o = ours!;
    // Each REST case runs twice per client, in alternating order; the cheaper run counts (warm JIT, no
    // order advantage).
    const rest = async (
      viaAriClient: (i: number) => Promise<unknown>,
      viaOwn: (i: number) => Promise<unknown>,
    ): Promise<Record<string, Cost>> => {
      const a1 = await measure(url, () => pool(REQUESTS, viaAriClient));
      const o1 = await measure(url, () => pool(REQUESTS, viaOwn));
      const o2 = await measure(url, () => pool(REQUESTS, viaOwn));
      const a2 = await measure(url, () => pool(REQUESTS, viaAriClient));
      const min = (x: Cost, y: Cost) => (x.cpuMs <= y.cpuMs ? x : y);
      return { 'ari-client': min(a1, a2), own: min(o1, o2) };
    };
    results.answer = await rest(
      (i) => c.channels.answer({ channelId: `c${i}` }),
      (i) => o.rest.post(`channels/c${i}/answer`),
    );
    results.getVariable = await rest(
      (i) => c.channels.getChannelVar({ channelId: `c${i}`, variable: 'IPCC_CALL' }),
      (i) => o.rest.get(`channels/c${i}/variable`, { variable: 'IPCC_CALL' }),
    );

    // Events: each client's socket open alone, a listener on every type, a burst timed to its last event.
    const burst = async (opened: () => Promise<void>, last: () => Promise<void>, close: () => void) => {
      await opened();
      const done = last();
      const cost = await measure(url, async () => {
        await fetch(`${url}/bench/burst?calls=${CALLS}`).catch(() => undefined);
        await done;
      });
      close();
      return cost;
    };
    const types = [...new Set(callEvents(0).map((e) => (e as { type: string }).type))];
    const total = CALLS * EVENTS_PER_CALL;
    let seenA = 0;
    let seenB = 0;
    const events = o.events;
    results.events = {
      'ari-client': await burst(
        async () => {
          for (const t of types) c.on(t as 'StasisStart', () => (seenA += 1));
          await c.start('bench');
        },
        () => until(() => seenA >= total),
        () => c.stop(),
      ),
      own: await burst(
        async () => {
          for (const t of types) events.on(t, () => (seenB += 1));
          await new Promise<void>((r) => {
            events.on(CONNECTED, r);
            void events.start('bench');
          });
        },
        () => until(() => seenB >= total),
        () => events.stop(),
      ),
    };
  } finally {
    child.kill();
  }
  await report(results);
  process.exit(0);
}

function until(ok: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const t = setInterval(() => {
      if (ok()) {
        clearInterval(t);
        resolve();
      }
    }, 1);
  });
}

async function report(results: Record<string, Record<string, Cost>>): Promise<void> {
  const git = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  const meta = {
    command: `npx tsx bench/ari-clients.ts --requests ${REQUESTS} --calls ${CALLS}`,
    git,
    cores: availableParallelism(),
    node: process.version,
    at: new Date().toISOString(),
    requests: REQUESTS,
    calls: CALLS,
    eventsPerCall: EVENTS_PER_CALL,
    concurrency: CONCURRENCY,
  };
  await writeJson(join(__dirname, 'results', 'ari-clients.json'), { ...meta, results });
  const per = (k: string, who: string, n: number) => {
    const cost = results[k]![who]!;
    return `${((cost.cpuMs * 1000) / n).toFixed(1)} µs`;
  };
  const row = (what: string, k: string, n: number) =>
    `| ${what} | ${per(k, 'ari-client', n)} | ${per(k, 'own', n)} | ${(
      results[k]!['ari-client']!.cpuMs / results[k]!.own!.cpuMs
    ).toFixed(1)}x |`;
  const conn = results.connect!;
  const lines = [
    '# ARI clients: ari-client against the project’s own (rest.ts + event-socket.ts)',
    '',
    `Generated by \`${meta.command}\` at ${meta.at}, git ${git}, ${meta.cores} cores, Node ${meta.node}.`,
    'Each client drives the same stand-in Asterisk (a child process: only the client’s CPU is counted),',
    'which serves Asterisk’s own API description and answers every call at once; CPU is user + system of',
    `the client process. REST: ${REQUESTS} calls, ${CONCURRENCY} at a time. Events: ${CALLS} calls’`,
    `events (${EVENTS_PER_CALL} per call as a Stasis app sees them: StasisStart, state change, two`,
    'variables set, a prompt started and finished, hang-up request, StasisEnd, ChannelDestroyed), one',
    'listener on every type.',
    '',
    '| CPU per operation | ari-client | own | ratio |',
    '|---|---|---|---|',
    row('`POST channels/{id}/answer`', 'answer', REQUESTS),
    row('`GET channels/{id}/variable`', 'getVariable', REQUESTS),
    row('one event received and dispatched', 'events', CALLS * EVENTS_PER_CALL),
    row(`one call’s ${EVENTS_PER_CALL} events`, 'events', CALLS),
    '',
    '| Connect | ari-client | own |',
    '|---|---|---|',
    `| HTTP requests | ${conn['ari-client']!.requests} | ${conn.own!.requests} |`,
    `| wall time | ${conn['ari-client']!.wallMs.toFixed(1)} ms | ${conn.own!.wallMs.toFixed(1)} ms |`,
    `| CPU | ${conn['ari-client']!.cpuMs.toFixed(1)} ms | ${conn.own!.cpuMs.toFixed(1)} ms |`,
    '',
  ];
  writeFileSync(join(__dirname, 'results', 'ari-clients.md'), lines.join('\n'));
  console.log(lines.join('\n'));
}

if (process.argv.includes('--stub')) stub();
else
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
