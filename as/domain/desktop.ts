/**
 * Pure rules behind the agent desktop's settings and softphone credentials (as/plugins/desktop): no store,
 * no HTTP.
 */

/** A desk phone picks the N-th reason with `*64N`, N from 1 to 9 (docs/agent-desktop.md). */
export const MAX_REASON_DIGIT = 9;

/**
 * The configured reasons in the order CTI numbers them (by name: cti/app/live-directory.ts `reasonList`),
 * each of the first nine with the digit a desk phone dials after `*64`.
 */
export function numberReasons<T extends { name: string }>(reasons: T[]): Array<T & { digit?: number }> {
  const sorted = [...reasons].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return sorted.map((r, i) => (i < MAX_REASON_DIGIT ? { ...r, digit: i + 1 } : { ...r }));
}

/**
 * Queues are not tied to one medium; one with video hold media can keep a video caller waiting with
 * pictures, so the desktop marks it as a video queue for transfers.
 */
export function queueChannel(queue: { media?: { video?: string | null } | null }): 'video' | 'voice' {
  return queue.media?.video ? 'video' : 'voice';
}

/** `PJSIP/webrtc1001` → `webrtc1001`; undefined for anything else. */
export function endpointName(resource: string | null | undefined): string | undefined {
  const m = /^PJSIP\/([A-Za-z0-9_.-]{1,64})$/.exec(resource ?? '');
  return m?.[1];
}

export interface SipAccount {
  wsUrl: string;
  uri: string;
  username: string;
  password: string;
  displayName: string;
}

/** The softphone's account: its endpoint name is its SIP user, registered at the system's SIP domain. */
export function sipAccount(
  endpoint: string,
  displayName: string,
  where: { sipWsUrl: string; sipHost: string },
  password: (name: string) => string,
): SipAccount {
  return {
    wsUrl: where.sipWsUrl,
    uri: `sip:${endpoint}@${where.sipHost}`,
    username: endpoint,
    password: password(endpoint),
    displayName,
  };
}

/** What a guest's browser dials: the public number at the system's SIP domain, as the user `guest`. */
export function guestSip(number: string, where: { sipWsUrl: string; sipHost: string }) {
  return {
    wsUrl: where.sipWsUrl,
    uri: `sip:guest@${where.sipHost}`,
    target: `sip:${number}@${where.sipHost}`,
  };
}
