import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import amqplib from 'amqplib';
import { MongoClient } from 'mongodb';
import { queues } from '../../lib/bus/topology';
import { ari } from './ari';
import { crash, start } from './processes';
import { amqpUrl, mongoUri } from './servers';

export const FAULTS = [
  'softacd',
  'ivr',
  'cti',
  'as',
  'rabbitmq',
  'docstore',
  'ari-websocket',
  'asterisk',
] as const;
export type Fault = (typeof FAULTS)[number];

/** What each fault does, for reports. */
export const FAULT_ACTIONS: Record<Fault, string> = {
  softacd: 'kill -9 of the SoftACD process group, restarted 0.5 s later (scripts/services.sh start softacd)',
  ivr: 'kill -9 of the IVR process group, restarted 0.5 s later',
  cti: 'kill -9 of the CTI process group, restarted 0.5 s later',
  as: 'kill -9 of the AS process group, restarted 0.5 s later',
  rabbitmq: 'rabbitmqctl stop_app, then start_app (every AMQP connection is closed; durable queues stay)',
  docstore: 'scripts/docstore.sh stop, then start (FerretDB; PostgreSQL behind it keeps running)',
  'ari-websocket':
    "ss -K on the TCP connections of the SoftACD and IVR processes to Asterisk's HTTP port (their ARI WebSockets); Asterisk and every other client keep running",
  asterisk:
    'kill -9 of Asterisk (every call drops), started again at once (scripts/asterisk.sh start); the services reconnect to it by themselves',
};

const root = path.resolve(__dirname, '..', '..');
const run = process.env.IPCC_RUN ?? path.join(root, '.run');

function sh(cmd: string, args: string[], timeoutMs = 120_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd: root, timeout: timeoutMs }, (err, stdout, stderr) =>
      err ? reject(new Error(`${cmd} ${args.join(' ')}: ${err.message}\n${stderr}`)) : resolve(stdout),
    );
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function pidOf(service: string): Promise<number> {
  return Number((await readFile(path.join(run, 'pids', `${service}.pid`), 'utf8')).trim());
}

/** Every process in a process group (the pid file names the group leader: tsx, then node, esbuild). */
async function groupPids(leader: number): Promise<Set<number>> {
  const out = await sh('ps', ['-o', 'pid=', '-g', String(leader)]);
  return new Set(
    out
      .split('\n')
      .map((l) => Number(l.trim()))
      .filter((n) => n > 0),
  );
}

/**
 * Cuts the ARI connections of SoftACD and the IVR only: `ss -K` destroys each of their TCP sockets to
 * Asterisk's HTTP port (the kernel answers further segments with a reset), so Asterisk sees the Stasis
 * apps' WebSockets close while Asterisk itself, the calls, and every other ARI client stay up.
 */
async function cutAriWebSockets(): Promise<number> {
  const port = new URL(process.env.ARI_URL ?? 'http://127.0.0.1:8088').port || '80';
  const pids = new Set<number>();
  for (const s of ['softacd', 'ivr']) for (const p of await groupPids(await pidOf(s))) pids.add(p);
  const listing = await sh('ss', ['-tnpH', 'state', 'established', `dport = :${port}`]);
  let cut = 0;
  for (const line of listing.split('\n')) {
    const pid = Number(/pid=(\d+)/.exec(line)?.[1] ?? 0);
    const local = /(\d+\.\d+\.\d+\.\d+):(\d+)\s+\S+:\d+/.exec(line);
    if (!pids.has(pid) || local === null) continue;
    await sh('ss', ['-K', 'src', `${local[1]}:${local[2]}`, `dport = :${port}`]);
    cut += 1;
  }
  if (cut === 0) throw new Error(`no ARI connection of softacd/ivr found to cut in:\n${listing}`);
  return cut;
}

/**
 * kill -9 of Asterisk (its pid file names the chroot'ed process, leader of its own session), then its
 * start as `up.sh` does it: every call is gone, and SoftACD, the IVR and CTI must notice it by themselves.
 */
async function crashAsterisk(): Promise<void> {
  const pidFile = path.join(run, 'pids', 'asterisk.pid');
  const pid = Number((await readFile(pidFile, 'utf8')).trim());
  process.kill(-pid, 'SIGKILL');
  // Gone once its HTTP port refuses (a killed process may linger as a zombie: kill(pid, 0) would say alive).
  const http = new URL(process.env.ARI_URL ?? 'http://127.0.0.1:8088');
  for (let i = 0; i < 50; i += 1) {
    const open = await tcpOpen(http.hostname, Number(http.port || '80')).then(
      () => true,
      () => false,
    );
    if (!open) break;
    await sleep(100);
  }
  await sh('rm', ['-f', pidFile]);
  await sh('bash', ['scripts/asterisk.sh', 'start'], 300_000);
}

/** Injects one fault and returns once the injection command is done (the recovery is measured apart). */
export async function inject(fault: Fault): Promise<void> {
  switch (fault) {
    case 'softacd':
    case 'ivr':
    case 'cti':
    case 'as':
      await crash(fault);
      await sleep(500);
      await start(fault);
      return;
    case 'rabbitmq':
      await sh('rabbitmqctl', ['-q', 'stop_app']);
      await sh('rabbitmqctl', ['-q', 'start_app']);
      return;
    case 'docstore':
      await sh('bash', ['scripts/docstore.sh', 'stop']);
      await sh('bash', ['scripts/docstore.sh', 'start']);
      return;
    case 'ari-websocket':
      await cutAriWebSockets();
      return;
    case 'asterisk':
      await crashAsterisk();
      return;
  }
}

function tcpOpen(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host, port }, () => {
      s.destroy();
      resolve();
    });
    s.setTimeout(1000, () => {
      s.destroy();
      reject(new Error('timeout'));
    });
    s.once('error', reject);
  });
}

/**
 * What is not working, empty when everything is: the broker with a consumer on CTI's, SoftACD's and the
 * IVR's queues (each process consumes once it is connected and its topology is declared), both Stasis
 * apps registered in Asterisk, the document store answering, the AS answering HTTP, CTI's agent port open.
 */
export async function unhealthy(): Promise<string[]> {
  const problems: string[] = [];
  const probe = async (name: string, f: () => Promise<void>) => {
    try {
      await f();
    } catch (err) {
      problems.push(`${name}: ${(err as Error).message.split('\n')[0]}`);
    }
  };
  await Promise.all([
    probe('rabbitmq', async () => {
      const c = await amqplib.connect(amqpUrl());
      c.on('error', () => undefined);
      try {
        const ch = await c.createChannel();
        ch.on('error', () => undefined);
        const softacd = process.env.SOFTACD_ID ?? 'softacd-1';
        const ivr = process.env.IVR_ID ?? 'ivr-1';
        for (const q of [queues.cti, queues.softacd(softacd), queues.ivr(ivr)]) {
          const info = await ch.checkQueue(q);
          if (info.consumerCount === 0) throw new Error(`no consumer on ${q}`);
        }
      } finally {
        await c.close().catch(() => undefined);
      }
    }),
    probe('ari apps', async () => {
      const apps = await ari.applicationNames();
      for (const a of ['softacd', 'ivr']) if (!apps.includes(a)) throw new Error(`${a} not registered`);
    }),
    probe('docstore', async () => {
      const m = new MongoClient(mongoUri(), { serverSelectionTimeoutMS: 1000 });
      try {
        await m.db().command({ ping: 1 });
      } finally {
        await m.close();
      }
    }),
    // The agent page, not /openapi.json: hapi-swagger builds that document on every request (0.1-0.2 s
    // idle here, past 1 s on two loaded cores), which timed the probe out for the whole 90 s in CI.
    probe('as', async () => {
      const res = await fetch(
        `http://${process.env.AS_HOST ?? '127.0.0.1'}:${process.env.AS_PORT ?? '8090'}/agent/`,
        { signal: AbortSignal.timeout(2000) },
      );
      if (res.status >= 500) throw new Error(`HTTP ${res.status}`);
      await res.arrayBuffer();
    }),
    probe('cti agent port', () =>
      tcpOpen(process.env.CTI_WS_HOST ?? '127.0.0.1', Number(process.env.CTI_WS_PORT ?? '8091')),
    ),
  ]);
  return problems;
}

/**
 * Whether SoftACD and the IVR both logged a (re)connected ARI WebSocket since `since`: a cut socket is
 * re-opened within a poll of the probes, so the processes' own log lines time its recovery.
 */
async function ariReconnectedSince(since: number): Promise<boolean> {
  for (const s of ['softacd', 'ivr']) {
    const text = await readFile(path.join(run, 'logs', `${s}.log`), 'utf8').catch(() => '');
    const tail = text.slice(-200_000).split('\n');
    const seen = tail.some((line) => {
      if (!line.includes('"ARI websocket connected"')) return false;
      const at = /"timestamp":"([^"]+)"/.exec(line)?.[1];
      return at !== undefined && Date.parse(at) >= since;
    });
    if (!seen) return false;
  }
  return true;
}

/**
 * Seconds from `since` until every probe passes, polled every 100 ms (and, for a cut ARI WebSocket,
 * until both Stasis apps logged their reconnection). The first probe runs after the injection command
 * returned, so a recovery quicker than that reads as the time the injection took.
 */
export async function secondsToRecover(since: number, fault?: Fault, limitMs = 90_000): Promise<number> {
  let last: string[] = [];
  while (Date.now() - since < limitMs) {
    last = await unhealthy();
    if (fault === 'ari-websocket' && !(await ariReconnectedSince(since)))
      last.push('ARI WebSockets not reconnected yet');
    if (last.length === 0) return (Date.now() - since) / 1000;
    await sleep(100);
  }
  throw new Error(`not recovered after ${limitMs / 1000} s: ${last.join('; ')}`);
}

/** Brings back whatever a failed test left down, so the specs after this one find the system up. */
export async function restoreSystem(): Promise<void> {
  await sh('bash', ['scripts/asterisk.sh', 'start'], 300_000).catch(() => undefined);
  await sh('bash', ['scripts/provision/rabbitmq.sh']).catch(() => undefined);
  await sh('rabbitmqctl', ['-q', 'start_app']).catch(() => undefined);
  await sh('bash', ['scripts/docstore.sh', 'start']).catch(() => undefined);
  for (const s of ['cti', 'softacd', 'ivr', 'as'] as const) await start(s).catch(() => undefined);
}
