import type { Request, ResponseToolkit, ServerRoute } from '@hapi/hapi';
import { type Logger, errorText } from '../../lib/log';
import { IntakeUnavailable } from '../core/intake';
import { normalizeNumber } from './addresses';
import type { InboundSms, SmsReceipt, SmsService } from './service';
import { neutralSignatureValid, twilioSignatureValid } from './signature';
import { type Parsed, formFields, parseNeutral, parseTwilio } from './webhook-schema';

export interface WebhookSettings {
  secret: string;
  twilioAuthToken: string;
  twilioWebhookUrl: string | undefined;
}

/** A webhook body is one SMS: 1,600 characters and a few fields fit many times over. */
const MAX_BODY_BYTES = 32 * 1024;

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

/**
 * The SMS webhooks on ISAG's HTTP server. Each request's signature is checked over the raw bytes before
 * anything in it is read (a forged or missing one: 403 and a log line); then its fields (unknown or
 * malformed: 400 with the reason); then it is stored, and only then answered 2xx. A store that is down
 * answers 503, so the provider retries. Authentication is the signature: no session, no token.
 */
export function smsRoutes(service: SmsService, s: WebhookSettings, log: Logger): ServerRoute[] {
  const payload = { parse: false, output: 'data', maxBytes: MAX_BODY_BYTES } as const;
  return [
    {
      method: 'POST',
      path: '/sms/inbound',
      options: { auth: false, payload, description: 'Inbound SMS, provider-neutral JSON (X-IPCC-Signature)' },
      handler: async (request, h) => {
        const raw = rawBody(request);
        if (!neutralSignatureValid(s.secret, raw, header(request, 'x-ipcc-signature')))
          return forbidden(request, h, log);
        if (!isType(request, 'application/json'))
          return refuse(request, h, log, 415, 'Content-Type must be application/json');
        const parsed = parseNeutral(raw);
        if (!parsed.ok) return refuse(request, h, log, 400, parsed.reason);
        const sms = smsOf({ ...parsed.value, provider: 'neutral', raw });
        if (!sms.ok) return refuse(request, h, log, 400, sms.reason);
        return store(service, sms.value, request, h, log, (receipt) =>
          h.response(receiptJson(receipt)).code(200),
        );
      },
    },
    {
      method: 'POST',
      path: '/sms/twilio',
      options: { auth: false, payload, description: 'Inbound SMS, Twilio webhook form (X-Twilio-Signature)' },
      handler: async (request, h) => {
        const raw = rawBody(request);
        // Twilio signs form posts: a body of another type cannot carry a valid signature of its params.
        const fields = isType(request, 'application/x-www-form-urlencoded')
          ? formFields(raw)
          : ({ ok: false, reason: 'Content-Type must be application/x-www-form-urlencoded' } as const);
        const url = s.twilioWebhookUrl ?? requestUrl(request);
        if (
          !fields.ok ||
          !twilioSignatureValid(s.twilioAuthToken, url, fields.value, header(request, 'x-twilio-signature'))
        )
          return forbidden(request, h, log);
        const parsed = parseTwilio(fields.value);
        if (!parsed.ok) return refuse(request, h, log, 400, parsed.reason);
        const sms = smsOf({ ...parsed.value, provider: 'twilio', raw });
        if (!sms.ok) return refuse(request, h, log, 400, sms.reason);
        return store(service, sms.value, request, h, log, () =>
          h.response(EMPTY_TWIML).type('text/xml').code(200),
        );
      },
    },
  ];
}

function smsOf(m: {
  from: string;
  to: string;
  text: string;
  id?: string | undefined;
  provider: 'neutral' | 'twilio';
  raw: Buffer;
}): Parsed<InboundSms> {
  const from = normalizeNumber(m.from);
  if (from === undefined) return { ok: false, reason: 'from: not a phone number' };
  const to = normalizeNumber(m.to);
  if (to === undefined) return { ok: false, reason: 'to: not a phone number' };
  return {
    ok: true,
    value: {
      via: 'webhook',
      provider: m.provider,
      ...(m.id === undefined ? {} : { providerId: m.id }),
      from,
      customer: from,
      to,
      text: m.text,
      raw: m.raw,
    },
  };
}

async function store(
  service: SmsService,
  sms: InboundSms,
  request: Request,
  h: ResponseToolkit,
  log: Logger,
  answer: (r: SmsReceipt) => ReturnType<ResponseToolkit['response']>,
) {
  try {
    return answer(await service.receive(sms));
  } catch (err) {
    if (err instanceof IntakeUnavailable) {
      log.warn('sms webhook: not stored, asked to retry', { path: request.path, error: errorText(err) });
      return h.response({ error: 'not stored, try again later' }).code(503).header('retry-after', '30');
    }
    log.error('sms webhook failed', { path: request.path, error: errorText(err) });
    return h.response({ error: 'internal error' }).code(500);
  }
}

function receiptJson(r: SmsReceipt): Record<string, unknown> {
  if (r.kind !== 'task') return { status: r.kind, confirmed: r.confirmed };
  const x = r.result;
  switch (x.kind) {
    case 'quarantined':
      return { status: 'quarantined', reason: x.reason };
    default:
      return { status: x.kind, messageId: x.messageId, interactionId: x.interactionId };
  }
}

function rawBody(request: Request): Buffer {
  const p: unknown = request.payload;
  if (Buffer.isBuffer(p)) return p;
  return typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.alloc(0);
}

function header(request: Request, name: string): string | undefined {
  const v: unknown = request.headers[name];
  return typeof v === 'string' ? v : undefined;
}

function isType(request: Request, type: string): boolean {
  return (header(request, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase() === type;
}

/** The URL as the provider requested it, from the Host header (ISAG_TWILIO_WEBHOOK_URL behind a proxy). */
function requestUrl(request: Request): string {
  return `${request.server.info.protocol}://${request.info.host}${request.url.pathname}${request.url.search}`;
}

function forbidden(request: Request, h: ResponseToolkit, log: Logger) {
  log.warn('sms webhook: signature missing or wrong', {
    path: request.path,
    remote: request.info.remoteAddress,
    signed:
      header(request, request.path === '/sms/twilio' ? 'x-twilio-signature' : 'x-ipcc-signature') !==
      undefined,
  });
  return h.response({ error: 'signature missing or wrong' }).code(403);
}

function refuse(request: Request, h: ResponseToolkit, log: Logger, code: number, reason: string) {
  log.info('sms webhook refused', { path: request.path, code, reason });
  return h.response({ error: reason }).code(code);
}
