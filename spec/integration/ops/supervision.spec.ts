import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { OPS_PORTS } from '../../../lib/ops/start';
import { eventually } from '../../support/bus-observer';
import { expect } from '../../support/chai';
import { parseSamples } from '../../support/prom-text';
import { requireSystem } from '../../support/servers';

const root = path.resolve(__dirname, '..', '..', '..');
const run = process.env.IPCC_RUN ?? path.join(root, '.run');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function pidIn(file: string): Promise<number | undefined> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

interface Line {
  message: string;
  timestamp: string;
  component?: string;
  [k: string]: unknown;
}

/** A log's lines; `strict`: every line must be JSON (a service's log can hold older runs' output). */
async function lines(file: string, strict = true): Promise<Line[]> {
  const text = await readFile(file, 'utf8');
  return text
    .trim()
    .split('\n')
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as Line];
      } catch (err) {
        if (strict) throw new Error(`${file}: not JSON: ${l}`, { cause: err });
        return [];
      }
    });
}

const ivrOps = `http://${process.env.OPS_HOST ?? '127.0.0.1'}:${process.env[OPS_PORTS.ivr.variable] ?? OPS_PORTS.ivr.port}`;

async function ivrRestarts(): Promise<number | undefined> {
  const res = await fetch(`${ivrOps}/metrics`, {
    headers: { authorization: `Bearer ${process.env.METRICS_TOKEN ?? ''}` },
  });
  if (res.status !== 200) return undefined;
  return parseSamples(await res.text()).find(
    (x) => x.name === 'ipcc_process_restarts' && x.labels.service === 'ivr',
  )?.value;
}

describe('supervision (lib/supervise)', function () {
  this.timeout(60_000);

  describe('a real service', () => {
    before(() => requireSystem(['rabbitmq', 'asterisk', 'ivr']));

    it('brings the IVR back after kill -9 of its process, counting the restart', async () => {
      const supervisor = await pidIn(path.join(run, 'pids', 'ivr.pid'));
      const childFile = path.join(run, 'pids', 'ivr.child.pid');
      const before = await pidIn(childFile);
      expect(supervisor, 'ivr.pid').to.be.a('number');
      expect(before, 'ivr.child.pid').to.be.a('number');
      const restarts = await eventually('IVR metrics', () => ivrRestarts(), 10_000);
      const killedAt = Date.now();
      process.kill(before ?? 0, 'SIGKILL');
      const after = await eventually(
        'a new IVR process',
        async () => {
          const pid = await pidIn(childFile);
          return pid !== undefined && pid !== before && alive(pid) ? pid : undefined;
        },
        15_000,
      );
      await eventually(
        'IVR ready again',
        async () => (await fetch(`${ivrOps}/health/ready`).catch(() => undefined))?.status === 200,
        20_000,
      );
      const backMs = Date.now() - killedAt;
      expect(alive(before ?? 0), 'old IVR gone').to.equal(false);
      expect(alive(supervisor ?? 0), 'the same supervisor').to.equal(true);
      expect(await ivrRestarts()).to.equal(restarts + 1);
      const log = (await lines(path.join(run, 'logs', 'ivr.log'), false)).filter(
        (l) => l.component === 'supervisor' && Date.parse(l.timestamp) >= killedAt - 1000,
      );
      expect(log.find((l) => l.message === 'child exited')).to.include({ pid: before, signal: 'SIGKILL' });
      expect(log.find((l) => l.message === 'child started')).to.include({
        pid: after,
        restarts: restarts + 1,
      });
      console.log(`      IVR back and ready ${backMs} ms after kill -9 (restart ${restarts + 1})`);
    });
  });

  describe('the supervisor on small scripts', () => {
    let dir = '';
    let bundle = '';

    before(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'ipcc-supervise-'));
      bundle = path.join(dir, 'supervise.js');
      // Bundled whole (rotating-file-stream included) so it runs from the temp dir.
      await build({
        entryPoints: [path.join(root, 'lib', 'supervise', 'main.ts')],
        bundle: true,
        platform: 'node',
        target: 'node24',
        format: 'cjs',
        outfile: bundle,
        logLevel: 'warning',
      });
    });
    after(() => rm(dir, { recursive: true, force: true }));

    /** Starts the supervisor on `script` in its own process group, as start_bg does. */
    async function supervise(name: string, script: string, env: Record<string, string> = {}) {
      const file = path.join(dir, `${name}.js`);
      await writeFile(file, script);
      const log = path.join(dir, `${name}.log`);
      const childPid = path.join(dir, `${name}.child.pid`);
      const p = spawn(process.execPath, [bundle, name, log, childPid, '--', process.execPath, file], {
        env: { ...process.env, ...env },
        stdio: 'ignore',
        detached: true,
      });
      const exited = new Promise<number | null>((resolve) => p.once('exit', (code) => resolve(code)));
      return { pid: p.pid ?? 0, log, childPid, exited };
    }

    it('restarts a child that exits at once with growing delays, and stops on SIGTERM', async () => {
      const s = await supervise(
        'loop',
        'console.log(JSON.stringify({ message: "up", restarts: process.env.IPCC_RESTARTS })); process.exit(3);',
        { IPCC_RESTART_BACKOFF_MS: '200', IPCC_RESTART_BACKOFF_MAX_MS: '800' },
      );
      await sleep(6_000);
      process.kill(s.pid, 'SIGTERM');
      expect(await s.exited).to.be.a('number');
      const all = await lines(s.log);
      const sup = all.filter((l) => l.component === 'supervisor');
      const delays = sup.filter((l) => l.message === 'restart scheduled').map((l) => l.delayMs);
      expect(delays.slice(0, 5)).to.deep.equal([200, 400, 800, 800, 800]);
      // The measured gap between a child's exit and the next start is the table's delay.
      const gaps: number[] = [];
      for (let i = 0; i < sup.length - 1; i++) {
        const a = sup[i];
        const b = sup.slice(i + 1).find((l) => l.message === 'child started');
        if (a?.message === 'restart scheduled' && b !== undefined)
          gaps.push(Date.parse(b.timestamp) - Date.parse(a.timestamp));
      }
      expect(gaps.length).to.be.at.least(4);
      gaps.forEach((g, i) => {
        const want = delays[i] as number;
        expect(g, `gap ${i}`).to.be.within(want - 5, want + 250);
      });
      const ups = all.filter((l) => l.message === 'up').map((l) => l.restarts);
      expect(ups.slice(0, 4)).to.deep.equal(['0', '1', '2', '3']);
      expect(sup.at(-1)?.message).to.equal('supervisor stopped');
      expect(await pidIn(s.childPid)).to.equal(undefined);
    });

    it('leaves no orphan when the supervisor itself is killed -9', async () => {
      const s = await supervise('orphan', 'setInterval(() => undefined, 1000);');
      const child = await eventually('child pid', () => pidIn(s.childPid), 5_000);
      expect(alive(child)).to.equal(true);
      process.kill(s.pid, 'SIGKILL');
      await eventually('child gone', () => !alive(child), 5_000);
    });

    it('rotates the log by size and keeps every line JSON', async () => {
      const s = await supervise(
        'rotate',
        'for (let i = 0; i < 300; i++) console.log(JSON.stringify({ message: "line", i, pad: "x".repeat(100) }));\n' +
          'console.error("a plain line on stderr"); setInterval(() => undefined, 1000);',
        { IPCC_LOG_MAX_SIZE: '10K', IPCC_LOG_KEEP: '3' },
      );
      await eventually('rotated file', () => readFile(`${s.log}.1`, 'utf8').catch(() => undefined), 10_000);
      await sleep(500);
      process.kill(s.pid, 'SIGTERM');
      await s.exited;
      const files = [s.log, `${s.log}.1`, `${s.log}.2`, `${s.log}.3`];
      const all = (await Promise.all(files.map((f) => lines(f).catch(() => [] as Line[])))).flat();
      expect((await readFile(`${s.log}.1`)).length).to.be.at.most(10 * 1024 + 200);
      expect(await readFile(`${s.log}.4`).catch(() => undefined), 'only 3 kept').to.equal(undefined);
      // Everything kept parsed as JSON (lines() throws otherwise), the plain stderr line wrapped.
      expect(all.find((l) => l.message === 'a plain line on stderr')).to.include({
        stream: 'stderr',
        level: 'error',
      });
      expect(all.filter((l) => l.message === 'line').length).to.be.greaterThan(100);
    });
  });
});
