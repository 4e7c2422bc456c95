import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import amqplib from 'amqplib';
import winston from 'winston';
import { asAdmin } from '../../support/as-api';
import { EXCHANGES, routingKeys } from '../../../lib/bus/topology';
import { Draft, MessageType, makeMessage } from '../../../lib/messages';
import type { FlowNode } from '../../../lib/flow/flow';
import { AriEventSocket } from '../../../stasis-app/ari/event-socket';
import type { AriEvent } from '../../support/ari';
import { amqpUrl } from '../../support/servers';

export interface SippRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * sipp for the IVR scenarios: like spec/support/sipp.ts plus a fixed RTP port (`-mp`), which the
 * DTMF pcaps are sent from and the video check reads back. SIP ports 5100-5139, RTP 5140-5199.
 */
export function sippIvr(
  scenario: string,
  opts: {
    service: string;
    localPort: number;
    mediaPort: number;
    holdMs?: number;
    vars: Record<string, string>;
  },
): Promise<SippRun> {
  const target = `${process.env.SIP_HOST ?? '127.0.0.1'}:${process.env.SIP_PORT ?? '5060'}`;
  const file = path.resolve(__dirname, '..', '..', 'sipp', scenario);
  const args = [target, '-sf', file, '-s', opts.service, '-i', '127.0.0.1', '-p', String(opts.localPort)];
  args.push('-mp', String(opts.mediaPort), '-m', '1', '-d', String(opts.holdMs ?? 3000));
  args.push('-nostdin', '-timeout', '90s', '-timeout_error');
  for (const [k, v] of Object.entries(opts.vars)) args.push('-set', k, v);
  return new Promise((resolve, reject) => {
    execFile('sipp', args, { timeout: 100_000 }, (err, stdout, stderr) => {
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new Error('sipp is not installed (Debian package sip-tester)'));
        return;
      }
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Creates the prompt record if the AS lacks it (the file itself comes from the prompt builder). */
export async function ensurePrompt(name: string): Promise<void> {
  const prompts = (await asAdmin('GET', '/prompts')) as Array<{ name: string }>;
  if (prompts.some((p) => p.name === name)) return;
  await asAdmin('POST', '/prompts', { name, description: 'IVR test prompt', formats: ['ulaw'] });
}

/** Puts a flow for a test called number through the AS's admin API (the way an administrator would). */
export async function upsertFlow(calledNumber: string, entry: string, nodes: FlowNode[]): Promise<void> {
  const flows = (await asAdmin('GET', '/ivr-flows')) as Array<{ id: string; calledNumber: string }>;
  const body = { name: `IVR test ${calledNumber}`, calledNumber, media: 'video', entry, nodes };
  const existing = flows.find((f) => f.calledNumber === calledNumber);
  if (existing) await asAdmin('PUT', `/ivr-flows/${existing.id}`, body);
  else await asAdmin('POST', '/ivr-flows', body);
}

/** Publishes a command to an IVR instance the way CTI does (cc.commands, routing key ivr.<instance>). */
export async function sendToIvr<T extends MessageType>(instance: string, draft: Draft<T>): Promise<void> {
  const conn = await amqplib.connect(amqpUrl());
  try {
    const ch = await conn.createConfirmChannel();
    const message = makeMessage({ service: 'cti', instance: 'ivr-test' }, draft);
    ch.publish(EXCHANGES.commands, routingKeys.ivr(instance), Buffer.from(JSON.stringify(message)), {
      contentType: 'application/json',
    });
    await ch.waitForConfirms();
  } finally {
    await conn.close();
  }
}

/** Publishes an event on cc.events (routing key call.<type>), as the named service would. */
export async function publishEvent<T extends MessageType>(
  source: { service: 'ivr' | 'softacd'; instance: string },
  draft: Draft<T>,
): Promise<void> {
  const conn = await amqplib.connect(amqpUrl());
  try {
    const ch = await conn.createConfirmChannel();
    const message = makeMessage(source, draft);
    ch.publish(EXCHANGES.events, `call.${message.type}`, Buffer.from(JSON.stringify(message)), {
      contentType: 'application/json',
    });
    await ch.waitForConfirms();
  } finally {
    await conn.close();
  }
}

/** Asterisk's event time ("2026-11-25T07:53:20.335+0000") in epoch milliseconds. */
export function eventTime(e: AriEvent): number {
  const raw = String(e.timestamp).replace(/([+-]\d\d)(\d\d)$/, '$1:$2');
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) throw new Error(`unreadable ARI timestamp ${String(e.timestamp)}`);
  return ms;
}

/** Delay from each key to the next prompt starting on the channel, by Asterisk's own clock. */
export function bargeDelays(events: AriEvent[]): number[] {
  const delays: number[] = [];
  events.forEach((e, i) => {
    if (e.type !== 'ChannelDtmfReceived') return;
    const next = events.slice(i + 1).find((x) => x.type === 'PlaybackStarted');
    if (next !== undefined) delays.push(eventTime(next) - eventTime(e));
  });
  return delays;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/** Every media started on a channel; Asterisk sends PlaybackStarted for each item of a playlist too. */
export const mediaOf = (events: AriEvent[]): string[] =>
  events.filter((e) => e.type === 'PlaybackStarted').map((e) => e.playback?.media_uri ?? '');

/** ARI requests the shared spec/support helper lacks (POST, DELETE); a 404 is returned, not thrown. */
export async function ariRequest(method: 'POST' | 'DELETE', urlPath: string): Promise<number> {
  const user = process.env.ARI_USER ?? '';
  const password = process.env.ARI_PASSWORD ?? '';
  const res = await fetch(`${process.env.ARI_URL ?? 'http://127.0.0.1:8088'}/ari${urlPath}`, {
    method,
    headers: { authorization: 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64') },
  });
  await res.arrayBuffer();
  if (!res.ok && res.status !== 404) throw new Error(`ARI ${method} ${urlPath}: ${res.status}`);
  return res.status;
}

/**
 * A Stasis app of the test's own, to take a caller out of the IVR the way SoftACD does when an agent
 * answers (POST /channels/{id}/move): the IVR then gets StasisEnd for the channel.
 */
export async function holdingApp(): Promise<{ name: string; stop: () => void }> {
  const client = new AriEventSocket(
    {
      url: process.env.ARI_URL ?? 'http://127.0.0.1:8088',
      user: process.env.ARI_USER ?? '',
      password: process.env.ARI_PASSWORD ?? '',
    },
    winston.createLogger({ silent: true }),
  );
  const name = `ivr-test-hold-${process.pid}`;
  await client.start(name);
  return { name, stop: () => client.stop() };
}

const IVR_LOG = path.resolve(__dirname, '..', '..', '..', '.run', 'logs', 'ivr.log');

/** The IVR's JSON log lines (.run/logs/ivr.log) of one contact with this message, oldest first. */
export async function ivrLogLines<T>(contactId: string, message: string): Promise<T[]> {
  return (await fs.readFile(IVR_LOG, 'utf8'))
    .split('\n')
    .filter((l) => l.includes(contactId) && l.includes(`"${message}"`))
    .map((l) => JSON.parse(l) as T);
}
