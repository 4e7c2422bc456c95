import type { RequestRoute, Server } from '@hapi/hapi';
import Joi from 'joi';

/**
 * What a route declares about its answers beyond what hapi's own configuration shows: the success status
 * when it is not 200, and the errors its service raises (as/errors.ts → as/http/errors.ts).
 */
export interface RouteAnswers {
  success?: 201 | 204;
  errors?: readonly ErrorStatus[];
}

declare module '@hapi/hapi' {
  interface PluginSpecificConfiguration {
    'ipcc-openapi'?: RouteAnswers;
  }
}

export type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 429 | 500 | 503;

/** The body of every error answer: Boom's payload plus the AS's `code` and `details` (as/http/errors.ts). */
export const errorBody = Joi.object({
  statusCode: Joi.number().integer().min(400).max(599).required(),
  error: Joi.string().required().description('the HTTP reason phrase'),
  message: Joi.string().required(),
  code: Joi.string()
    .valid('invalid', 'unauthorized', 'forbidden', 'not_found', 'conflict', 'rate_limited', 'unavailable')
    .description("the service's error code, when a service raised the error"),
  attributes: Joi.object()
    .unknown()
    .description("a 401's WWW-Authenticate attributes, e.g. the token's fault as `error`"),
  details: Joi.alternatives(
    Joi.array().items(Joi.object({ path: Joi.string(), message: Joi.string() }).label('Problem')),
    Joi.object().unknown(),
  ).description('validation problems, or what the conflict is about (the records in the way)'),
}).label('Error');

const WHY: Record<ErrorStatus, string> = {
  400: 'The request is invalid: malformed JSON, a value its schema refuses (each problem in `details`), NUL characters',
  401: 'Not authenticated: no bearer token, one expired or revoked or of an inactive account, or wrong log-in credentials',
  403: "The token's roles do not allow this operation, or this record is not the caller's",
  404: 'No such record',
  405: 'The record does not take this operation (a fax contact takes no reply)',
  409: 'Conflicts with the stored state: a unique name already taken, or a record still in use',
  413: 'The payload is larger than the server accepts',
  415: 'The payload is not application/json',
  429: 'Too many attempts; retry after the seconds in the Retry-After header',
  500: 'An unexpected server error',
  503: 'The data store is unreachable, or the feature is not configured',
};

/** The facts about a route the generic answers follow from, read from its hapi configuration. */
export interface RouteFacts {
  method: string;
  path: string;
  authenticated: boolean;
  scoped: boolean;
  validates: boolean;
  hasPayload: boolean;
  hasResponseSchema: boolean;
  declared: RouteAnswers;
}

/** The statuses a route can answer with an error, sorted. */
export function errorStatuses(route: RouteFacts): ErrorStatus[] {
  const out = new Set<ErrorStatus>(route.declared.errors ?? []);
  if (route.validates || route.hasPayload) out.add(400);
  if (route.authenticated) out.add(401);
  if (route.scoped) out.add(403);
  if (route.path.includes('{')) out.add(404);
  if (route.hasPayload) {
    out.add(413);
    out.add(415);
  }
  // Every API route reads or writes the store.
  out.add(500);
  out.add(503);
  return [...out].sort((a, b) => a - b);
}

interface SwaggerResponse {
  description: string;
  schema?: Joi.Schema;
  headers?: Record<string, { description: string; schema: { type: string } }>;
}

/** The `plugins['hapi-swagger'].responses` of a route: its success answer when needed and every error. */
export function responsesOf(route: RouteFacts): Record<number, SwaggerResponse> {
  const out: Record<number, SwaggerResponse> = {};
  const success = route.declared.success;
  // A success status with its schema in the route's `response.status` keeps that schema.
  if (success === 204) out[204] = { description: 'Done; no content' };
  else if (success === 201) out[201] = { description: 'Created; the new record' };
  // hapi-swagger adds 200 from a response schema; without one it would add nothing once errors are listed.
  else if (!route.hasResponseSchema) out[200] = { description: 'Successful' };
  for (const status of errorStatuses(route)) {
    out[status] = { description: WHY[status], schema: errorBody };
    if (status === 429) {
      out[status].headers = {
        'Retry-After': { description: 'seconds to wait', schema: { type: 'integer' } },
      };
    }
  }
  return out;
}

function factsOf(route: RequestRoute): RouteFacts {
  const settings = route.settings;
  // hapi's normalised route settings: false, or the access rules (scope) of the route's strategy.
  const auth = settings.auth as unknown as false | { access?: { scope?: unknown }[] } | undefined;
  // Only `auth: false` opens a route: the bearer strategy is the server's default (as/plugins/auth).
  const authenticated = auth !== false;
  const scope = auth ? auth.access?.[0]?.scope : undefined;
  const validate = settings.validate ?? {};
  const method = route.method.toUpperCase();
  return {
    method,
    path: route.path,
    authenticated,
    scoped: scope !== undefined && scope !== false,
    validates: Boolean(validate.params || validate.query || validate.payload),
    hasPayload: ['POST', 'PUT', 'PATCH'].includes(method),
    hasResponseSchema: Boolean(settings.response?.schema || settings.response?.status),
    declared: settings.plugins?.['ipcc-openapi'] ?? {},
  };
}

/**
 * Describes every API route's answers (those tagged `api`) in its hapi-swagger settings, from its hapi
 * configuration and its declared answers. Routes opened without a token get an empty security list, so
 * the document does not ask for a bearer token on log-in or guest calls. Idempotent.
 */
export function describeAnswers(server: Server): void {
  for (const route of server.table()) {
    if (!route.settings.tags?.includes('api')) continue;
    const facts = factsOf(route);
    const plugins = route.settings.plugins as Record<string, Record<string, unknown> | undefined>;
    const swagger = (plugins['hapi-swagger'] ??= {});
    swagger.responses = { ...responsesOf(facts), ...(swagger.responses as object | undefined) };
    if (!facts.authenticated) swagger.security = [];
  }
}
