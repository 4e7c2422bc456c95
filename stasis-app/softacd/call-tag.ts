import type { Media } from '../../lib/messages';

/**
 * What SoftACD writes on the channels it owns and reads back from Asterisk after a restart: the call's
 * tag (IPCC_CALL) and the caller's text as the messages carry it.
 */

export interface LiveChannel {
  id: string;
  callingNumber: string;
  /** The IPCC_CALL variable: set on callers by callArrived. */
  tag?: string;
  /** The IPCC_AGENT variable: set on agent legs at originate. */
  agentId?: string;
}

export interface LiveBridge {
  id: string;
  channels: string[];
}

export interface IncomingChannel {
  channelId: string;
  callingNumber: string;
  callingName: string;
  calledNumber: string;
  /** The media decision when the dialplan passed it (`arrivalMedia`); otherwise read over ARI. */
  media?: Media;
  /** A flow editor's test call (test-call.ts): its contact id, chosen by the AS, and its test-call id. */
  flowTest?: { contactId: string; testCallId: string };
}

/** contactId|media|calledNumber: the called number last, since it is the only free-form part. */
export function encodeTag(contactId: string, incoming: IncomingChannel, media: Media): string {
  return `${contactId}|${media}|${incoming.calledNumber}`;
}

export function decodeTag(
  tag: string,
): { contactId: string; media: Media; calledNumber: string } | undefined {
  const [contactId, media, ...rest] = tag.split('|');
  if (contactId === undefined || contactId === '' || (media !== 'audio' && media !== 'audio+video'))
    return undefined;
  return { contactId, media, calledNumber: rest.join('|') };
}

/**
 * Caller name and number as SIP delivered them, minus control characters (a NUL cannot be stored, the
 * others only break displays and logs) and cut to the length the messages allow.
 */
export function callerText(raw: string): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  return raw.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 256);
}
