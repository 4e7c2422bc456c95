import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type SippRun, sipp } from './sipp';

export interface SipSms {
  /** The customer's number (the From user). */
  customer: string;
  /** One line, no `;` (the injection file's separator). */
  text: string;
}

export interface SipSmsAnswer extends SipSms {
  callId: string;
  /** When sipp sent the MESSAGE (first transmission), epoch ms. */
  sentAt: number;
  /** Asterisk's final answer (`202 Accepted`), or undefined when none came. */
  answer?: string;
}

/**
 * Sends each SMS as one SIP MESSAGE from a real sipp peer to our number `service`, `rate` a second,
 * and reads from sipp's trace what Asterisk answered each one.
 */
export async function sendSipSms(opts: {
  service: string;
  localPort: number;
  messages: readonly SipSms[];
  rate: number;
  timeoutSec?: number;
}): Promise<{ run: SippRun; sent: SipSmsAnswer[] }> {
  for (const m of opts.messages)
    if (/[;\r\n]/.test(m.text + m.customer)) throw new Error(`not for an injection file: ${m.text}`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sip-sms-'));
  const inf = path.join(dir, 'messages.csv');
  const trace = path.join(dir, 'trace.log');
  writeFileSync(
    inf,
    ['SEQUENTIAL', ...opts.messages.map((m) => `${m.customer};${m.text}`)].join('\n') + '\n',
  );
  try {
    const run = await sipp('message-send-many.xml', {
      service: opts.service,
      localPort: opts.localPort,
      calls: opts.messages.length,
      holdMs: 0,
      timeoutSec: opts.timeoutSec ?? 60,
      extra: ['-inf', inf, '-r', String(opts.rate), '-rp', '1000', '-trace_msg', '-message_file', trace],
    });
    return { run, sent: readTrace(readFileSync(trace, 'utf8')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** sipp's -message_file: blocks after a dashed line with the time, each one SIP message sent or received. */
export function readTrace(text: string): SipSmsAnswer[] {
  const requests = new Map<string, SipSmsAnswer>();
  const answers = new Map<string, string>();
  for (const block of text.split(/^-{20,} /m).slice(1)) {
    // `2026-12-07 13:04:53.580611`: local time, as sipp prints it.
    const stamp = /^([0-9]{4}-[0-9]{2}-[0-9]{2}) ([0-9:.]+)/.exec(block);
    const lines = block.split(/\r?\n/);
    const start = lines.findIndex((l) => /^(MESSAGE sip:|SIP\/2\.0 )/.test(l));
    if (start < 0) continue;
    const first = lines[start] ?? '';
    const header = (name: string) =>
      lines
        .slice(start)
        .find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`))
        ?.slice(name.length + 1)
        .trim();
    const callId = header('Call-ID');
    if (callId === undefined) continue;
    if (first.startsWith('MESSAGE ')) {
      if (requests.has(callId)) continue; // a retransmission
      const from = /<sip:([^@>]+)@/.exec(header('From') ?? '')?.[1] ?? '';
      const blank = lines.indexOf('', start);
      const text = lines.slice(blank + 1).find((l) => l.trim() !== '') ?? '';
      requests.set(callId, {
        customer: from,
        text: text.trim(),
        callId,
        sentAt: stamp === null ? 0 : new Date(`${stamp[1]}T${stamp[2]}`).getTime(),
      });
    } else if (!/^SIP\/2\.0 1[0-9][0-9] /.test(first)) {
      answers.set(callId, first.slice('SIP/2.0 '.length));
    }
  }
  return [...requests.values()].map((r) => {
    const answer = answers.get(r.callId);
    return answer === undefined ? r : { ...r, answer };
  });
}
