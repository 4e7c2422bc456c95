import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { X509Certificate, createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';

const ROOT = path.resolve(__dirname, '..', '..');

/** A throw-away CA and server pair from scripts/tls-selfsigned.sh, naming `names` besides localhost and 127.0.0.1. */
export function selfSignedPair(
  dir: string,
  names: string[] = [],
): Promise<{ ca: Buffer; cert: string; key: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      [path.join(ROOT, 'scripts/tls-selfsigned.sh'), '--force', dir],
      { env: { ...process.env, TLS_SAN: names.join(',') }, timeout: 30_000 },
      (err: Error | null) => {
        if (err) return reject(err);
        resolve({
          ca: readFileSync(path.join(dir, 'ca.crt')),
          cert: path.join(dir, 'server.crt'),
          key: path.join(dir, 'server.key'),
        });
      },
    );
  });
}

/** This host's first address other than loopback (a browser elsewhere reaches it there), if it has one. */
export function lanAddress(): string | undefined {
  for (const list of Object.values(os.networkInterfaces()))
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  return undefined;
}

/** Chromium's `--ignore-certificate-errors-spki-list` value for a certificate: base64 SHA-256 of its key. */
export function spkiHash(certFile: string): string {
  const der = new X509Certificate(readFileSync(certFile)).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64');
}

export interface HttpsAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  peer: { subject: string; issuer: string; names: string };
}

/** One HTTPS GET that trusts `ca` only (undefined: the system's CAs). */
export function httpsGet(url: string, ca: Buffer | undefined): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const req = https.get(url, { ca, timeout: 10_000 }, (res) => {
      const cert = (res.socket as TLSSocket).getPeerCertificate();
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          peer: {
            subject: String(cert.subject?.CN),
            issuer: String(cert.issuer?.CN),
            names: cert.subjectaltname ?? '',
          },
        }),
      );
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url}`)));
    req.on('error', reject);
  });
}

/**
 * The AS (as/main.ts under tsx) as a second instance with `env` on top of this process's environment;
 * resolves once it logs that it listens. Its outbox does not publish (the running AS's does).
 */
export async function startAs(
  env: NodeJS.ProcessEnv,
): Promise<{ child: ChildProcess; uri: string; output: () => string }> {
  const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'as/main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      AS_INSTANCE_ID: 'tls-spec',
      AS_OPS_PORT: '0',
      AS_OUTBOX_GRACE_MS: '3600000',
      AS_OUTBOX_SWEEP_MS: '3600000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString('utf8')));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString('utf8')));
  const uri = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`AS did not start in 60 s:\n${output}`)), 60_000);
    const look = () => {
      const m =
        /"application server listening".*?"uri":"([^"]+)"/.exec(output) ??
        /"uri":"([^"]+)".*?application server listening/.exec(output);
      if (m?.[1] === undefined) return;
      clearTimeout(timer);
      resolve(m[1]);
    };
    child.stdout?.on('data', look);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`AS exited (${code}) before listening:\n${output}`));
    });
  });
  return { child, uri, output: () => output };
}

/** SIGTERM to a child this test started, and its end awaited (SIGKILL after 10 s). */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
