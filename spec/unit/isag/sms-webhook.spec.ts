import { Writable } from 'node:stream';
import Hapi from '@hapi/hapi';
import winston from 'winston';
import { IntakeUnavailable } from '../../../isag/core/intake';
import type { Inbound, IntakeResult } from '../../../isag/core/types';
import { smsRoutes } from '../../../isag/sms/routes';
import { SmsService } from '../../../isag/sms/service';
import { neutralSignature, twilioSignature } from '../../../isag/sms/signature';
import { expect } from '../../support/chai';

const SECRET = 'neutral-secret';
const TOKEN = 'twilio-token';
const TWILIO_URL = 'https://isag.example/sms/twilio';
const created: IntakeResult = { kind: 'created', interactionId: 'i1', messageId: 'm1', queueId: 'sms' };
const quietStore = {
  optedOut: () => Promise.resolve(false),
  optOut: () => Promise.resolve(true),
  optIn: () => Promise.resolve(false),
};
const sendNothing = () => Promise.resolve();

/** The webhook routes on a hapi server without sockets (server.inject), the core's intake in memory. */
function harness(answer: (m: Inbound) => IntakeResult | Error = () => created) {
  const received: Inbound[] = [];
  const lines: Array<{ level: string; message: string }> = [];
  const log = winston.createLogger({
    transports: [
      new winston.transports.Stream({
        stream: new Writable({
          write(chunk: Buffer, _e: string, done: () => void) {
            lines.push(JSON.parse(chunk.toString()) as { level: string; message: string });
            done();
          },
        }),
      }),
    ],
    format: winston.format.json(),
  });
  const service = new SmsService({
    intake: {
      receive(m) {
        received.push(m);
        const a = answer(m);
        return a instanceof Error ? Promise.reject(a) : Promise.resolve(a);
      },
    },
    store: quietStore,
    send: sendNothing,
    texts: { stop: 's', start: 'S' },
    log,
  });
  const server = Hapi.server();
  server.route(
    smsRoutes(service, { secret: SECRET, twilioAuthToken: TOKEN, twilioWebhookUrl: TWILIO_URL }, log),
  );
  return { server, received, lines };
}

function neutral(
  body: unknown,
  sign: (raw: string) => string | undefined = (raw) => neutralSignature(SECRET, Buffer.from(raw)),
) {
  const raw = JSON.stringify(body);
  const sig = sign(raw);
  return {
    method: 'POST',
    url: '/sms/inbound',
    payload: raw,
    headers: {
      'content-type': 'application/json',
      ...(sig === undefined ? {} : { 'x-ipcc-signature': sig }),
    },
  };
}

function twilio(
  fields: Record<string, string>,
  url = TWILIO_URL,
  token = TOKEN,
  headers: Record<string, string> = {},
) {
  return {
    method: 'POST',
    url: '/sms/twilio',
    payload: new URLSearchParams(fields).toString(),
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilioSignature(token, url, new Map(Object.entries(fields))),
      ...headers,
    },
  };
}

const twilioFields = {
  MessageSid: 'SM0123456789abcdef',
  AccountSid: 'AC0123',
  From: '+15557770001',
  To: '+15550100',
  Body: 'Hello from Twilio',
  NumMedia: '0',
};

describe('isag sms: webhooks', () => {
  it('stores a signed neutral message and answers 200 with its ids', async () => {
    const h = harness();
    const res = await h.server.inject(
      neutral({ from: '+1 555 777-0001', to: '+15550100', text: 'hi', id: 'p-1' }),
    );
    expect(res.statusCode).to.equal(200);
    expect(res.result).to.deep.equal({ status: 'created', messageId: 'm1', interactionId: 'i1' });
    expect(h.received).to.have.length(1);
    expect(h.received[0]).to.deep.include({
      from: '+15557770001',
      provider: 'neutral',
      messageId: 'neutral:p-1',
    });
  });

  it('refuses a forged, missing or stale neutral signature with 403 and a log line, storing nothing', async () => {
    const h = harness();
    const body = { from: '+15557770001', to: '+15550100', text: 'hi' };
    const forged = await h.server.inject(neutral(body, (raw) => neutralSignature('guess', Buffer.from(raw))));
    const missing = await h.server.inject(neutral(body, () => undefined));
    const other = await h.server.inject(neutral(body, () => neutralSignature(SECRET, Buffer.from('{}'))));
    expect([forged.statusCode, missing.statusCode, other.statusCode]).to.deep.equal([403, 403, 403]);
    expect(h.received).to.have.length(0);
    expect(h.lines.filter((l) => l.message === 'sms webhook: signature missing or wrong')).to.have.length(3);
  });

  it('refuses unknown and malformed fields with 400 and the reason', async () => {
    const h = harness();
    const unknown = await h.server.inject(
      neutral({ from: '+15557770001', to: '+15550100', text: 'x', media: 'y' }),
    );
    expect(unknown.statusCode).to.equal(400);
    expect((unknown.result as { error: string }).error).to.match(/media/);
    const noText = await h.server.inject(neutral({ from: '+15557770001', to: '+15550100' }));
    expect(noText.statusCode).to.equal(400);
    expect((noText.result as { error: string }).error).to.match(/^text:/);
    const notNumber = await h.server.inject(neutral({ from: 'alice', to: '+15550100', text: 'x' }));
    expect(notNumber.result).to.deep.equal({ error: 'from: not a phone number' });
    const tooLong = await h.server.inject(
      neutral({ from: '+15557770001', to: '+15550100', text: 'x'.repeat(1601) }),
    );
    expect(tooLong.statusCode).to.equal(400);
    expect(h.received).to.have.length(0);
  });

  it('answers a duplicate 200 as well (the core found it stored)', async () => {
    const h = harness(() => ({ kind: 'duplicate', interactionId: 'i1', messageId: 'm1' }));
    const res = await h.server.inject(
      neutral({ from: '+15557770001', to: '+15550100', text: 'hi', id: 'p-1' }),
    );
    expect(res.statusCode).to.equal(200);
    expect(res.result).to.deep.include({ status: 'duplicate', messageId: 'm1' });
  });

  it('answers 503 when the store is down, so the provider retries', async () => {
    const h = harness(() => new IntakeUnavailable(new Error('store down')));
    const res = await h.server.inject(neutral({ from: '+15557770001', to: '+15550100', text: 'hi' }));
    expect(res.statusCode).to.equal(503);
    expect(res.headers['retry-after']).to.equal('30');
  });

  it('stores a Twilio form with a valid X-Twilio-Signature and answers empty TwiML', async () => {
    const h = harness();
    const res = await h.server.inject(twilio(twilioFields));
    expect(res.statusCode).to.equal(200);
    expect(res.headers['content-type']).to.match(/^text\/xml/);
    expect(res.payload).to.equal('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
    expect(h.received[0]).to.deep.include({
      from: '+15557770001',
      text: 'Hello from Twilio',
      provider: 'twilio',
      messageId: 'twilio:SM0123456789abcdef',
    });
  });

  it('checks the Twilio signature against the URL rebuilt from the Host header when none is configured', async () => {
    const service = new SmsService({
      intake: { receive: () => Promise.resolve(created) },
      store: quietStore,
      send: sendNothing,
      texts: { stop: 's', start: 'S' },
      log: winston.createLogger({ silent: true }),
    });
    const server = Hapi.server();
    server.route(
      smsRoutes(
        service,
        { secret: SECRET, twilioAuthToken: TOKEN, twilioWebhookUrl: undefined },
        winston.createLogger({ silent: true }),
      ),
    );
    const ok = await server.inject(
      twilio(twilioFields, 'http://127.0.0.1:8095/sms/twilio', TOKEN, { host: '127.0.0.1:8095' }),
    );
    expect(ok.statusCode).to.equal(200);
    const wrongHost = await server.inject(
      twilio(twilioFields, 'http://127.0.0.1:8095/sms/twilio', TOKEN, { host: 'evil.example' }),
    );
    expect(wrongHost.statusCode).to.equal(403);
  });

  it('refuses a forged Twilio signature (403) and an unknown Twilio field (400)', async () => {
    const h = harness();
    const forged = await h.server.inject(twilio(twilioFields, TWILIO_URL, 'not-the-token'));
    expect(forged.statusCode).to.equal(403);
    const unknown = await h.server.inject(twilio({ ...twilioFields, Exploit: '1' }));
    expect(unknown.statusCode).to.equal(400);
    expect(unknown.result).to.deep.equal({ error: 'unknown field "Exploit"' });
    const repeated = {
      ...twilio(twilioFields),
      payload: `${new URLSearchParams(twilioFields).toString()}&Body=again`,
    };
    expect((await h.server.inject(repeated)).statusCode).to.equal(403);
    expect(h.received).to.have.length(0);
  });
});
