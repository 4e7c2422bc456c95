import Boom from '@hapi/boom';
import Joi from 'joi';
import type { Lifecycle, Request, ResponseToolkit } from '@hapi/hapi';

/**
 * Request validation answers 400 with joi's own precise message (hapi's default hides it), e.g.
 * `"login" must be a string` when an object such as {"$ne": ""} is sent in place of a string.
 */
export const failAction: Lifecycle.Method = (_request: Request, _h: ResponseToolkit, err?: Error) => {
  if (err && Joi.isError(err)) {
    const boom = Boom.badRequest(err.message);
    boom.output.payload.details = err.details.map((d) => ({ path: d.path.join('.'), message: d.message }));
    throw boom;
  }
  throw Boom.badRequest(err?.message ?? 'invalid request');
};

export const validationOptions: Joi.ValidationOptions = {
  abortEarly: false,
  // Unknown keys are refused everywhere: they are either typos or attempts to write fields such as roles.
  allowUnknown: false,
  convert: true,
};

export const objectId = Joi.string().hex().length(24).description('a 24-hex-digit id');
export const contactId = Joi.string().guid().description('contact id (UUID)');
export const name = Joi.string()
  .pattern(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'name')
  .description('lower-case name');
/**
 * A queue in a path or a query: its name, which is its identity (IVR flows, bus messages, stored contacts
 * and reports use it), or its ObjectId during the transition from ids (docs/as.md).
 */
export const queueRef = Joi.string()
  .pattern(/^(?:[a-z0-9][a-z0-9_-]{0,62}|[0-9a-fA-F]{24})$/, 'queue name')
  .description("the queue's name (its ObjectId is still accepted)");
export const login = Joi.string().pattern(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'login');
/** Keys of free-form maps: no `$` and no `.`, so they can never become query operators or paths. */
export const safeKey = Joi.string().pattern(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'field name');
/**
 * The first character a piece of text must not hold, as `U+XXXX`: C0 controls, DEL and C1 controls
 * (tab, line feed and carriage return allowed only in multi-line text), and the bidirectional embeddings,
 * overrides and isolates (U+202A-U+202E, U+2066-U+2069), which make a name display as something else
 * (a screen pop's "Alice" that reads backwards, a display name that hides another). Refused rather than
 * stripped: what is stored is what the sender wrote, and the sender learns why.
 */
export function forbiddenCharacter(value: string, multiline: boolean): string | null {
  for (const ch of value) {
    const c = ch.codePointAt(0) as number;
    const allowed = multiline && (c === 0x09 || c === 0x0a || c === 0x0d);
    const control = c <= 0x1f || (c >= 0x7f && c <= 0x9f);
    const bidi = (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
    if ((control && !allowed) || bidi) return `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return null;
}

const plainText =
  (multiline: boolean): Joi.CustomValidator<string> =>
  (value, helpers) => {
    const found = forbiddenCharacter(value, multiline);
    if (found === null) return value;
    return helpers.message(
      {
        custom: `{{#label}} must not contain control characters or bidirectional overrides (found {{#found}})`,
      },
      { found },
    );
  };

/** One-line text: names, labels, descriptions, search terms. */
export const text = (max: number) =>
  Joi.string().trim().max(max).custom(plainText(false), 'no control or bidi characters');
/** Text that may span lines (notes): tab, line feed and carriage return allowed. */
export const multilineText = (max: number) =>
  Joi.string().trim().max(max).custom(plainText(true), 'no control or bidi characters');
export const endpoint = Joi.string().pattern(/^PJSIP\/[A-Za-z0-9_.-]{1,64}$/, 'PJSIP/<endpoint>');
export const phoneInput = Joi.string()
  .trim()
  .max(32)
  .pattern(/^[+0-9 ().-]+$/, 'phone number');
export const email = Joi.string().trim().lowercase().email({ tlds: false }).max(254);
export const scalar = Joi.alternatives(
  Joi.string().max(500).custom(plainText(true), 'no control or bidi characters'),
  Joi.number(),
  Joi.boolean(),
);
/**
 * A custom field's value, or null to remove it. null is allowed on the string branch rather than on the
 * alternatives: OpenAPI 3.0 (and its linters) accept `nullable` only beside a `type`.
 */
const scalarOrNull = Joi.alternatives(
  Joi.string().max(500).custom(plainText(true), 'no control or bidi characters').allow(null),
  Joi.number(),
  Joi.boolean(),
);
export const customFields = Joi.object().pattern(safeKey, scalarOrNull).max(50);

export const errorResponse = Joi.object({
  statusCode: Joi.number(),
  error: Joi.string(),
  message: Joi.string(),
}).unknown();
