import net from 'node:net';

/** One SMTP reply: its code and its text (continuation lines joined with a newline). */
export interface SmtpReply {
  code: number;
  text: string;
}

/** What a step of a session got: a reply, the server closing the connection, or nothing in time. */
export type SmtpAnswer = SmtpReply | { closed: true } | { timeout: true };

export const isReply = (a: SmtpAnswer): a is SmtpReply => 'code' in a;

/**
 * A raw SMTP client on a socket: it writes exactly the bytes it is given (no dot-stuffing, no checks) and
 * reads replies as RFC 5321 says (`250-` continues, `250 ` ends). The fuzz suites need it because
 * nodemailer refuses, cleans or rewrites the very input they send.
 */
export class SmtpWire {
  private pending = '';
  private readonly replies: SmtpReply[] = [];
  private lines: string[] = [];
  private closed = false;
  private waiter: (() => void) | undefined;

  private constructor(private readonly socket: net.Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => this.read(chunk));
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    // A reset while the suite writes a huge message: the close that follows is the answer read.
    socket.on('error', () => undefined);
  }

  static connect(host: string, port: number, timeoutMs = 5000): Promise<SmtpWire> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`SMTP connect to ${host}:${port} timed out`));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(new SmtpWire(socket));
      });
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  }

  private read(chunk: string): void {
    this.pending += chunk;
    let at: number;
    while ((at = this.pending.indexOf('\n')) >= 0) {
      const line = this.pending.slice(0, at).replace(/\r$/, '');
      this.pending = this.pending.slice(at + 1);
      const m = /^(\d{3})([ -]?)(.*)$/.exec(line);
      if (m === null) continue;
      this.lines.push(m[3] ?? '');
      if (m[2] === '-') continue;
      this.replies.push({ code: Number(m[1]), text: this.lines.join('\n') });
      this.lines = [];
    }
    this.wake();
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  /** The next reply, or the close, or a timeout after `ms`. */
  async next(ms = 10_000): Promise<SmtpAnswer> {
    const deadline = Date.now() + ms;
    for (;;) {
      const reply = this.replies.shift();
      if (reply !== undefined) return reply;
      if (this.closed) return { closed: true };
      const left = deadline - Date.now();
      if (left <= 0) return { timeout: true };
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
        setTimeout(resolve, Math.min(left, 250)).unref();
      });
    }
  }

  /** Writes the bytes; resolves once the socket took them (or at once when it is gone). */
  write(data: string | Buffer): Promise<void> {
    if (this.closed || this.socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data, () => resolve());
    });
  }

  async command(line: string | Buffer, ms?: number): Promise<SmtpAnswer> {
    await this.write(typeof line === 'string' ? `${line}\r\n` : Buffer.concat([line, Buffer.from('\r\n')]));
    return this.next(ms);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** RFC 5321 4.5.2: a line of the message that starts with a dot gets one more. */
export function dotStuff(data: Buffer): Buffer {
  const text = data.toString('latin1');
  const stuffed = (text.startsWith('.') ? '.' : '') + text.replace(/\r\n\./g, '\r\n..');
  return Buffer.from(stuffed, 'latin1');
}

export interface Envelope {
  helo: string;
  from: string;
  to: string[];
}

/** Every answer of one session, step by step, and whether the message was accepted (250 after DATA). */
export interface SmtpSession {
  steps: Array<{ step: string; answer: SmtpAnswer }>;
  accepted: boolean;
}

/**
 * One whole session: greeting, EHLO, MAIL, RCPT (each), DATA, the message (dot-stuffed unless `raw`), QUIT.
 * It stops at the first step refused, closed or unanswered: each step's answer is recorded.
 */
export async function smtpSession(
  host: string,
  port: number,
  env: Envelope,
  message: Buffer,
  opts: { raw?: boolean; dataTimeoutMs?: number } = {},
): Promise<SmtpSession> {
  const wire = await SmtpWire.connect(host, port);
  const steps: SmtpSession['steps'] = [];
  const step = (name: string, answer: SmtpAnswer) => {
    steps.push({ step: name, answer });
    return isReply(answer) ? answer.code : 0;
  };
  let accepted = false;
  try {
    if (step('greeting', await wire.next()) !== 220) return { steps, accepted };
    if (!ok(step('EHLO', await wire.command(`EHLO ${env.helo}`)))) return { steps, accepted };
    if (!ok(step('MAIL', await wire.command(`MAIL FROM:<${env.from}>`)))) return { steps, accepted };
    let recipients = 0;
    for (const to of env.to) if (ok(step('RCPT', await wire.command(`RCPT TO:<${to}>`)))) recipients += 1;
    if (recipients === 0) return { steps, accepted };
    if (step('DATA', await wire.command('DATA')) !== 354) return { steps, accepted };
    const body = opts.raw === true ? message : dotStuff(message);
    const ending = body.subarray(-2).toString('latin1') === '\r\n' ? '.\r\n' : '\r\n.\r\n';
    await wire.write(Buffer.concat([body, Buffer.from(ending, 'latin1')]));
    const final = step('end of data', await wire.next(opts.dataTimeoutMs ?? 60_000));
    accepted = final === 250;
    step('QUIT', await wire.command('QUIT', 5000));
    return { steps, accepted };
  } finally {
    wire.destroy();
  }
}

const ok = (code: number) => code >= 200 && code < 300;
