/**
 * Phone numbers and SIP addresses as they come from providers and from Asterisk. A number keys the
 * conversation and the opt-out list, so the same customer must give the same key whichever path the
 * message took: blanks, dashes, dots and brackets are dropped, a leading `+` kept.
 */
const NUMBER = /^\+?[0-9]{3,20}$/;

export function normalizeNumber(text: string): string | undefined {
  const compact = text.trim().replace(/[\s\-().]/g, '');
  return NUMBER.test(compact) ? compact : undefined;
}

export interface SipAddress {
  /** `sip:user@host[:port]`, without display name, brackets, URI parameters or header parameters. */
  uri: string;
  user: string;
  hostPort: string;
}

/**
 * A From/To value as Asterisk gives it in TextMessageReceived: `"Name" <sip:user@host:port;p=v>`,
 * `<sip:...>`, `sip:...`, or with res_pjsip_messaging's `pjsip:` prefix on the To side.
 */
export function parseSipAddress(text: string): SipAddress | undefined {
  const bracketed = /<([^>]*)>/.exec(text)?.[1] ?? text.trim();
  const m = /^(?:pj)?(sips?):([^@;?>\s]+)@([^;?>\s]+)/i.exec(bracketed);
  if (m === null) return undefined;
  const [, scheme, user, hostPort] = m as unknown as [string, string, string, string];
  if (!/^[A-Za-z0-9.\-[\]:]{1,255}$/.test(hostPort)) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(user);
  } catch {
    return undefined;
  }
  return { uri: `${scheme.toLowerCase()}:${user}@${hostPort}`, user: decoded, hostPort };
}

/** Who the customer is for conversations and opt-outs: the number when the SIP user is one, else the URI. */
export function sipCustomer(address: SipAddress): string {
  return normalizeNumber(address.user) ?? address.uri;
}
