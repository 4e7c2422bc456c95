/* eslint-disable @typescript-eslint/require-await -- stand-ins keep the async interface of what they replace */
import net from 'node:net';
import nodemailer from 'nodemailer';
import winston from 'winston';
import { expect } from '../../support/chai';
import { IntakeUnavailable } from '../../../isag/core/intake';
import type { Envelope, MailOutcome } from '../../../isag/email/receive';
import { InboundSmtp } from '../../../isag/email/smtp-server';

const log = winston.createLogger({ silent: true });

/** Reads the server's greeting and its EHLO answer over a plain socket. */
function ehlo(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    let sent = false;
    socket.on('data', (d) => {
      text += d.toString('latin1');
      if (!sent && /^220 /m.test(text)) {
        sent = true;
        text = '';
        socket.write('EHLO client.test\r\n');
      } else if (sent && /^250 /m.test(text)) {
        socket.end('QUIT\r\n');
        resolve(text);
      }
    });
    socket.on('error', reject);
  });
}

/**
 * The SMTP adapter on a real socket with nodemailer as the client; what it hands the message to is a
 * function of the test, so the order of "stored" and "250" and the codes can be checked exactly. The
 * same server on the real store: spec/integration/isag/email-inbound.spec.ts.
 */
describe('isag SMTP adapter: codes and the order of store and 250', () => {
  let server: InboundSmtp;
  let handler: (raw: Buffer, envelope: Envelope) => Promise<MailOutcome>;
  const transport = () =>
    nodemailer.createTransport({ host: '127.0.0.1', port: server.port, secure: false, ignoreTLS: true });

  before(async () => {
    server = new InboundSmtp({
      host: '127.0.0.1',
      port: 0,
      name: 'test.local',
      domains: ['ipcc.local'],
      maxMessageBytes: 4000,
      maxClients: 10,
      tls: undefined,
      storeTimeoutMs: 1_000,
      log,
      receive: (raw, envelope) => handler(raw, envelope),
    });
    await server.listen();
  });
  after(() => server.close());

  it('announces its size limit in EHLO', async () => {
    expect(await ehlo(server.port)).to.match(/^250[- ]SIZE 4000\r?$/m);
  });

  it('answers 250 only after the message is stored, with its id', async () => {
    let storedAt = 0;
    let seen: Envelope | undefined;
    handler = async (_raw, envelope) => {
      seen = envelope;
      await new Promise((r) => setTimeout(r, 300));
      storedAt = Date.now();
      return { kind: 'created', interactionId: 'i-1', messageId: 'm-1', queueId: 'email' };
    };
    const info = await transport().sendMail({
      from: 'ann@customer.test',
      to: 'support@ipcc.local',
      subject: 'hi',
      text: 'hello',
    });
    const answeredAt = Date.now();
    expect(info.response).to.match(/^250 OK: queued as m-1$/);
    expect(storedAt).to.be.greaterThan(0);
    expect(answeredAt).to.be.at.least(storedAt);
    expect(seen).to.deep.equal({ mailFrom: 'ann@customer.test', rcptTo: ['support@ipcc.local'] });
  });

  it('answers 451 when the store fails or is too slow, so the sender retries', async () => {
    handler = () => Promise.reject(new IntakeUnavailable(new Error('store down')));
    const failed = await transport()
      .sendMail({ from: 'a@customer.test', to: 'support@ipcc.local', text: 'x' })
      .then(
        () => undefined,
        (err: { responseCode?: number; response?: string }) => err,
      );
    expect(failed?.responseCode).to.equal(451);
    handler = () => new Promise(() => undefined); // never stored
    const slow = await transport()
      .sendMail({ from: 'a@customer.test', to: 'support@ipcc.local', text: 'x' })
      .then(
        () => undefined,
        (err: { responseCode?: number }) => err,
      );
    expect(slow?.responseCode).to.equal(451);
  });

  it('refuses a recipient in another domain with 550 and stores nothing', async () => {
    let called = false;
    handler = async () => {
      called = true;
      return { kind: 'created', interactionId: 'i', messageId: 'm', queueId: 'q' };
    };
    const err = await transport()
      .sendMail({ from: 'a@customer.test', to: 'someone@elsewhere.test', text: 'x' })
      .then(
        () => undefined,
        (e: { responseCode?: number }) => e,
      );
    expect(err?.responseCode).to.equal(550);
    expect(called).to.equal(false);
  });

  it('refuses a message over the size limit with 552 and stores nothing', async () => {
    let called = false;
    handler = async () => {
      called = true;
      return { kind: 'created', interactionId: 'i', messageId: 'm', queueId: 'q' };
    };
    const err = await transport()
      .sendMail({ from: 'a@customer.test', to: 'support@ipcc.local', text: 'x'.repeat(10_000) })
      .then(
        () => undefined,
        (e: { responseCode?: number }) => e,
      );
    expect(err?.responseCode).to.equal(552);
    expect(called).to.equal(false);
  });

  it('answers 250 for a quarantined message (it is stored), naming the entry', async () => {
    handler = async () => ({ kind: 'quarantined', quarantineId: 'q-1', reason: 'no queue for x@ipcc.local' });
    const info = await transport().sendMail({ from: 'a@customer.test', to: 'x@ipcc.local', text: 'x' });
    expect(info.response).to.equal('250 OK: held as q-1');
  });
});
