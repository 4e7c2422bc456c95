import type { Logger } from '../../lib/log';
import type { IsagAri, IsagApp } from '../core/ari';
import { type SipAddress, normalizeNumber, parseSipAddress, sipCustomer } from './addresses';
import type { InboundSms, SmsService } from './service';
import type { SpooledMessage } from './spool-file';
import type { SpoolHandler } from './spool-watcher';
import { SMS_TEXT_MAX } from './webhook-schema';

export interface SipSettings {
  app: string;
  sipEndpoints: string[];
}

/**
 * ISAG's Stasis app for SIP MESSAGE. Inbound MESSAGEs no longer come over ARI: the dialplan spools them
 * (asterisk/snippets/extensions_ipcc_sms.conf) and isag/sms/spool-watcher.ts reads them, because
 * Asterisk answers 202 before any handler runs and only a file outlives ISAG being killed. The app
 * stays for its WebSocket (readiness `ari`: replies leave through ARI's sendMessage) and makes sure it
 * holds no endpoint subscription: with one, Asterisk's ARI handler would take every MESSAGE too, a
 * second inbound path. Such a subscription is what an ISAG from before the spool left behind (Asterisk
 * keeps it after the WebSocket closes, and counts one per POST): deleted until the app lists none.
 */
export function sipMessageApp(ari: IsagAri, s: SipSettings, log: Logger): IsagApp {
  const path = `applications/${encodeURIComponent(s.app)}`;
  const source = (endpoint: string) => ({ query: { eventSource: `endpoint:PJSIP/${endpoint}` } });
  const subscribed = async (): Promise<string[]> =>
    (await ari.rest.request<{ endpoint_ids?: string[] }>('GET', path)).endpoint_ids ?? [];
  return {
    name: s.app,
    resync: async () => {
      let removed = 0;
      for (const endpoint of s.sipEndpoints)
        for (let i = 0; i < 100 && (await subscribed()).includes(`PJSIP/${endpoint}`); i++) {
          await ari.rest.request('DELETE', `${path}/subscription`, source(endpoint));
          removed += 1;
        }
      if (removed > 0)
        log.warn(
          'SIP MESSAGE: removed endpoint subscriptions of the ARI app (MESSAGEs come from the spool)',
          {
            app: s.app,
            removed,
          },
        );
    },
  };
}

/**
 * A spooled MESSAGE to the service: stored (a repeat of a stored one included: the core finds it by
 * Call-ID/CSeq), or refused with the reason when it is no SMS of ours. A store that fails throws, and
 * the spool keeps the file for another try.
 */
export function sipSpoolHandler(
  service: Pick<SmsService, 'receive'>,
  log: Logger,
  now: () => number = () => Date.now(),
): SpoolHandler {
  return async (entry) => {
    const sms = sipSms(entry.message, entry.raw);
    if (typeof sms === 'string') return { kind: 'refused', reason: sms };
    const r = await service.receive(sms);
    log.info('SIP MESSAGE stored', {
      from: sms.from,
      outcome: r.kind === 'task' ? r.result.kind : r.kind,
      ...(r.kind === 'task' && r.result.kind !== 'quarantined' ? { contactId: r.result.interactionId } : {}),
      file: entry.name,
      // From the dialplan's write to stored: the time a MESSAGE spends only on disk.
      spooledMs: now() - entry.message.at,
    });
    return { kind: 'stored' };
  };
}

/** The spooled MESSAGE as an inbound SMS, or why it is not one. */
export function sipSms(m: SpooledMessage, raw: Buffer): InboundSms | string {
  const from = parseSipAddress(m.from);
  if (from === undefined) return `From is not a SIP address: ${m.from.slice(0, 80)}`;
  const to = parseSipAddress(m.to);
  const ours = to === undefined ? undefined : normalizeNumber(to.user);
  if (ours === undefined) return `To is not one of our numbers: ${m.to.slice(0, 80)}`;
  const text = m.body !== '' ? m.body : droppedBody(m.contentLength);
  if (text.length > SMS_TEXT_MAX) return `text longer than ${SMS_TEXT_MAX} characters`;
  // eslint-disable-next-line no-control-regex -- NUL cannot be stored (PostgreSQL under FerretDB)
  if (/\u0000/.test(text)) return 'NUL in the text';
  const reply = replyAddress(from, m.recvAddr, m.transport);
  return {
    via: 'sip',
    ...(m.callId === '' ? {} : { providerId: `${m.callId}/${m.cseq}`.slice(0, 200) }),
    from: reply,
    // The same key the reply sender derives from `from` (a number, else the peer's URI).
    customer: sipCustomer(parseSipAddress(reply) ?? from),
    to: ours,
    text,
    raw,
  };
}

/**
 * res_pjsip_messaging drops a body that does not fit its 1,023-byte buffer and routes the MESSAGE with
 * none: the customer wrote something, so the agent is told rather than shown an empty message.
 */
function droppedBody(contentLength: number | undefined): string {
  if (contentLength === undefined || contentLength <= 2) return '';
  return `[${contentLength} bytes sent over SIP; Asterisk passes on at most 1,023 and dropped the text]`;
}

/**
 * Where the customer's SIP peer is reached: the From user at the address the MESSAGE came from
 * (PJSIP_RECVADDR, with its transport). Asterisk gives From without its port (res_pjsip_messaging prints
 * it as a From header), and a peer that sends MESSAGE has no Contact; the source address is also what
 * the customer endpoints answer anyway (`force_rport`, peers behind NAT). Without it: the From URI.
 */
export function replyAddress(from: SipAddress, recvAddr: string, transport: string): string {
  if (!/^(\[[0-9A-Fa-f:.]{2,45}\]|[0-9.]{7,15}):[0-9]{1,5}$/.test(recvAddr)) return from.uri;
  const param = transport === 'tcp' || transport === 'tls' ? `;transport=${transport}` : '';
  return `sip:${encodeURIComponent(from.user).replace(/%2B/g, '+')}@${recvAddr}${param}`;
}
