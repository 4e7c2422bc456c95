const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

/**
 * A SIP MESSAGE spool line as asterisk/snippets/extensions_ipcc_sms.conf writes it (the unit spec of
 * the parser holds the field order to the snippet).
 */
export function spoolLine(
  o: { from?: string; to?: string; body?: string; callId?: string; cseq?: string; at?: number } = {},
): string {
  return [
    'v=1',
    `at=${o.at ?? 1765100000123}`,
    `callid=${b64(o.callId ?? '1-2345@127.0.0.1')}`,
    `cseq=${o.cseq ?? '1'}`,
    `from=${b64(o.from ?? '<sip:+15557770001@127.0.0.1>')}`,
    `to=${b64(o.to ?? 'pjsip:+15550100@127.0.0.1')}`,
    `recvaddr=${b64('127.0.0.1:5072')}`,
    'transport=udp',
    'length=16',
    `body=${b64(o.body ?? 'Hello over SIP')}`,
    'end=1',
  ].join('|');
}

/** A name as the dialplan makes it: arrival milliseconds and a 40-hex digest. */
export const spoolName = (ms: number, n: number) => `${ms}-${n.toString(16).padStart(40, '0')}.sms`;
