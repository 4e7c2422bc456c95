import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { Logger } from '../../lib/log';
import { errorText } from '../../lib/log';
import type { TlsPair } from '../../lib/tls-files';
import { acceptsRecipient } from './recipients';
import type { Envelope, MailOutcome } from './receive';

export interface SmtpOptions {
  host: string;
  port: number;
  /** The server's name in its greeting. */
  name: string;
  domains: readonly string[];
  maxMessageBytes: number;
  maxClients: number;
  /** STARTTLS with this pair; without one STARTTLS is not offered. */
  tls: TlsPair | undefined;
  /** How long a message may take to be stored before the sender is told to retry (451). */
  storeTimeoutMs?: number;
  log: Logger;
  /** Stores one message; resolves once it is stored (or quarantined), rejects when it could not be. */
  receive: (raw: Buffer, envelope: Envelope) => Promise<MailOutcome>;
}

/** An SMTP reply carried by an error (smtp-server sends `responseCode` and the message). */
function reply(code: number, text: string): Error & { responseCode: number } {
  return Object.assign(new Error(text), { responseCode: code });
}

/** The text of the 250 for each outcome. */
export function acceptedText(outcome: MailOutcome): string {
  switch (outcome.kind) {
    case 'created':
    case 'joined':
    case 'duplicate':
      return `OK: queued as ${outcome.messageId}`;
    case 'quarantined':
      return `OK: held as ${outcome.quarantineId}`;
    case 'bounce':
      return 'OK: delivery report recorded';
    case 'report-ignored':
      return 'OK: delivery report noted';
  }
}

/**
 * The inbound SMTP adapter (smtp-server): no authentication (an MX takes mail from anyone), RCPT TO
 * only for the accepted domains (550 otherwise), SIZE announced and enforced (552), STARTTLS with the
 * configured pair. Each message is buffered up to the limit, handed to `receive`, and answered 250 only
 * once that resolved; a failure or a store slower than `storeTimeoutMs` answers 451 (try again later).
 */
export class InboundSmtp {
  private readonly server: SMTPServer;
  private listening = false;

  constructor(private readonly options: SmtpOptions) {
    const { tls, log } = options;
    this.server = new SMTPServer({
      name: options.name,
      banner: 'ipcc ISAG',
      size: options.maxMessageBytes,
      rejectOversized: true,
      authOptional: true,
      disabledCommands: tls === undefined ? ['AUTH', 'STARTTLS'] : ['AUTH'],
      ...(tls === undefined ? {} : { key: tls.key, cert: tls.cert }),
      disableReverseLookup: true,
      maxClients: options.maxClients,
      // The recipients are stored with the message: a bound, as for every list from input.
      maxRecipients: 100,
      logger: false,
      onRcptTo: (address, _session, callback) => {
        if (acceptsRecipient(address.address, options.domains)) return callback();
        callback(reply(550, `5.7.1 <${address.address}>: relay access denied (not a domain of this server)`));
      },
      onData: (stream, session, callback) => this.onData(stream, session, callback),
    });
    this.server.on('error', (err) => log.error('smtp server error', { error: errorText(err) }));
  }

  private onData(
    stream: SMTPServerDataStream,
    session: SMTPServerSession,
    callback: (err?: Error | null, message?: string) => void,
  ): void {
    const { log, maxMessageBytes } = this.options;
    const chunks: Buffer[] = [];
    let kept = 0;
    stream.on('data', (chunk: Buffer) => {
      // Past the limit the rest is read and dropped: the answer is 552 whatever follows.
      if (kept + chunk.length <= maxMessageBytes) {
        chunks.push(chunk);
        kept += chunk.length;
      }
    });
    stream.on('error', (err) => {
      log.warn('smtp data stream failed', { session: session.id, error: errorText(err) });
    });
    stream.on('end', () => {
      if (stream.sizeExceeded) {
        log.info('smtp message over the size limit refused', {
          session: session.id,
          bytes: stream.byteLength,
        });
        callback(
          reply(552, `5.3.4 message exceeds the fixed maximum message size of ${maxMessageBytes} bytes`),
        );
        return;
      }
      const envelope: Envelope = {
        mailFrom: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
        rcptTo: session.envelope.rcptTo.map((r) => r.address),
      };
      this.store(Buffer.concat(chunks, kept), envelope).then(
        (outcome) => callback(null, acceptedText(outcome)),
        (err: unknown) => {
          log.error('smtp message not stored: sender told to retry', {
            session: session.id,
            error: errorText(err),
          });
          callback(reply(451, '4.3.0 temporary failure storing the message, try again later'));
        },
      );
    });
  }

  private store(raw: Buffer, envelope: Envelope): Promise<MailOutcome> {
    const timeoutMs = this.options.storeTimeoutMs ?? 30_000;
    return new Promise<MailOutcome>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not stored within ${timeoutMs} ms`)), timeoutMs);
      this.options.receive(raw, envelope).then(
        (outcome) => {
          clearTimeout(timer);
          resolve(outcome);
        },
        (err: unknown) => {
          clearTimeout(timer);
          reject(err instanceof Error ? err : new Error(String(err)));
        },
      );
    });
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      this.server.once('error', onError);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', onError);
        this.listening = true;
        resolve();
      });
    });
  }

  get up(): boolean {
    return this.listening;
  }

  /** The port it listens on (tests listen on 0). */
  get port(): number {
    const address = this.server.server.address();
    return typeof address === 'object' && address !== null ? address.port : this.options.port;
  }

  close(): Promise<void> {
    this.listening = false;
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
