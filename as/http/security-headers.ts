import type { Lifecycle, RouteOptionsCache } from '@hapi/hapi';

/**
 * The AS serves JSON and CSV only (the OpenAPI document is JSON too; no HTML page is served), so the
 * strictest policy holds for every response: nothing may load, frame or submit anything. Should an HTML
 * page be added (a documentation UI), it gets a policy of its own on its route.
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
