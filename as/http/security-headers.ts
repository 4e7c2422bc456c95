import type { Lifecycle, RouteOptionsCache } from '@hapi/hapi';

/**
 * The API serves JSON and CSV only (the OpenAPI document is JSON too), so the strictest policy holds for
 * every response: nothing may load, frame or submit anything. The pages (the agent desktop and the
 * customer's call page, as/plugins/pages) replace it with `pagePolicy` on their own responses.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * Responses carry tokens (login, refresh) and personal data (customers, contacts, reports): no cache
 * may keep any of them. hapi writes `cache-control` itself (its `otherwise` for routes without caching),
 * so this is the route default rather than a header written here.
 */
export const NO_STORE: RouteOptionsCache = { otherwise: 'no-store' };

/**
 * Written on the raw response when the request arrives, before routing: every answer carries them, a
 * route's, an error mapped by another extension, a 404 for an unknown path, a 415 or 413 from the payload
 * parser. hapi sends what it set on top of these and never removes them.
 */
export const securityHeaders: Lifecycle.Method = (request, h) => {
  const res = request.raw.res;
  res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
  res.setHeader('x-content-type-options', 'nosniff');
  return h.continue;
};

/**
 * The pages' policy: their own scripts and styles only (no inline script, no eval), network to this origin,
 * the CTI WebSocket and Asterisk's SIP WebSocket and nothing else; media from this origin and from blobs
 * (recorded greetings, ringing tones), images from this origin and data URLs, and remote images over
 * http(s): an e-mail body shown in the inbox (a sandboxed `srcdoc` frame) inherits this policy, and the
 * frame's own, stricter policy is what keeps its remote images unloaded until the agent clicks "Show
 * images" (agent-ui/src/views/inbox/mail-html.ts). Inline styles are allowed: the UI library writes
 * `style` attributes, which cannot carry script.
 */
export function pagePolicy(websockets: string[]): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `connect-src 'self' ${websockets.join(' ')}`.trim(),
    "media-src 'self' blob:",
    "img-src 'self' data: http: https:",
    "font-src 'self'",
    "manifest-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}
