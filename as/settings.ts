import path from 'node:path';

/**
 * What the agent desktop and the customer's web call page need to know about the rest of the system, read
 * from the environment `scripts/lib.sh load_env` builds. Pure: tests pass their own environment.
 */
export interface DesktopSettings {
  /** The CTI agent WebSocket as a browser reaches it. */
  ctiUrl: string;
  /** Asterisk's SIP-over-WebSocket (`/ws`) as a browser reaches it. */
  sipWsUrl: string;
  /** The SIP domain of agents' and guests' URIs. */
  sipHost: string;
  /** The secret agents' SIP passwords derive from (stasis-app/provisioning/agent-endpoints.ts). */
  agentSipSecret?: string;
  /** Numbers a guest (the web call page) may call; each needs an IVR flow. */
  publicNumbers: string[];
  /** Signs guest tokens (lib/guest-token.ts); SoftACD checks them with it. */
  guestSecret?: string;
  /** The built pages (`agent-ui/dist`): agent.html, call.html and their assets. */
  pagesDir: string;
}

const NUMBER = /^[0-9]{1,20}$/;

/**
 * `root` is the checkout the UI build path is relative to: services start there (scripts/services.sh),
 * and the bundled AS runs from .run/dist, so its own file location would point at the wrong place.
 */
export function desktopSettingsFrom(
  environment: NodeJS.ProcessEnv,
  root = environment.IPCC_ROOT ?? process.cwd(),
): DesktopSettings {
  const get = (name: string, fallback: string) => {
    const v = environment[name];
    return v === undefined || v === '' ? fallback : v;
  };
  const numbers = get('PUBLIC_VIDEO_NUMBERS', '100')
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
  const bad = numbers.filter((n) => !NUMBER.test(n));
  if (bad.length > 0) throw new Error(`PUBLIC_VIDEO_NUMBERS: not a number: ${bad.join(', ')}`);
  // The schemes follow TLS (docs/operations/tls.md): CTI's socket is wss:// when CTI has a certificate;
  // a page served over HTTPS may open wss:// only, so Asterisk's /ws is then its TLS port.
  const pageSecure = get('AS_TLS_CERT', '') !== '';
  const asteriskWs = pageSecure
    ? `wss://${get('ASTERISK_HTTPS_HOST', get('ASTERISK_HTTP_HOST', '127.0.0.1'))}:${get('ASTERISK_HTTPS_PORT', '8089')}/ws`
    : `ws://${get('ASTERISK_HTTP_HOST', '127.0.0.1')}:${get('ASTERISK_HTTP_PORT', '8088')}/ws`;
  const ctiScheme = get('CTI_TLS_CERT', '') !== '' ? 'wss' : 'ws';
  return {
    // Overridable for a browser that reaches these through another address (a proxy, another host name).
    ctiUrl: get(
      'AGENT_CTI_URL',
      `${ctiScheme}://${get('CTI_WS_HOST', '127.0.0.1')}:${get('CTI_WS_PORT', '8091')}`,
    ),
    sipWsUrl: get('AGENT_SIP_WS_URL', asteriskWs),
    sipHost: get('SIP_HOST', '127.0.0.1'),
    agentSipSecret: environment.AGENT_SIP_SECRET || undefined,
    publicNumbers: numbers,
    guestSecret: environment.GUEST_TOKEN_SECRET || undefined,
    pagesDir: path.resolve(root, get('AGENT_UI_DIST', 'agent-ui/dist')),
  };
}
