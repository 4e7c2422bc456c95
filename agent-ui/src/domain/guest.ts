/**
 * The customer's guest call: the number from the page's path (/call/<number>) and what the AS's
 * POST /api/v1/guest/calls answers (a one-call token and where to send the INVITE).
 */
export function numberFromPath(pathname: string): string | undefined {
  const m = /^\/call\/([^/?#]+)\/?$/.exec(pathname);
  if (m === null || m[1] === undefined) return undefined;
  let number: string;
  try {
    number = decodeURIComponent(m[1]);
  } catch {
    return undefined;
  }
  return /^\+?[0-9]{1,32}$/.test(number) ? number : undefined;
}

export interface GuestCall {
  token: string;
  wsUrl: string;
  uri: string;
  target: string;
}

type Loose = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Reads the AS's answer; the SIP host defaults to the page's host, the wsUrl to Asterisk's /ws. */
export function guestCallOf(
  raw: unknown,
  number: string,
  page: { hostname: string; protocol: string },
): GuestCall {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Loose;
  const sip = (typeof r.sip === 'object' && r.sip !== null ? r.sip : {}) as Loose;
  const token = str(r.token);
  if (token === undefined) throw new Error('no guest token');
  const wsUrl =
    str(r.wsUrl) ??
    str(sip.wsUrl) ??
    `${page.protocol === 'https:' ? 'wss' : 'ws'}://${page.hostname}:8088/ws`;
  const host = page.hostname;
  return {
    token,
    wsUrl,
    uri: str(r.uri) ?? str(sip.uri) ?? `sip:guest@${host}`,
    target: str(r.target) ?? str(sip.target) ?? `sip:${number}@${host}`,
  };
}
