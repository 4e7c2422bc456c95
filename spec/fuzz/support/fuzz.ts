import fc from 'fast-check';

/**
 * Shared pieces of the hostile-input suites: run counts (short form by default, `FUZZ_RUNS` for the long
 * form), fast-check parameters (a failure prints its seed and path; `FUZZ_SEED` and `FUZZ_PATH` replay it),
 * hostile values, and a JSON-Schema-to-arbitrary converter used for both the OpenAPI description and the
 * message schemas (zod's JSON Schema export).
 */
export const LONG = process.env.FUZZ_RUNS !== undefined && process.env.FUZZ_RUNS !== '';

/** Cases per input: `short` unless FUZZ_RUNS is set. */
export function runs(short: number): number {
  if (!LONG) return short;
  const n = Number(process.env.FUZZ_RUNS);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`FUZZ_RUNS must be a positive integer, got ${process.env.FUZZ_RUNS}`);
  return n;
}

/** fast-check parameters: numRuns plus the replay seed/path when given. */
export function params<T>(numRuns: number): fc.Parameters<T> {
  const p: fc.Parameters<T> = { numRuns, endOnFailure: true, interruptAfterTimeLimit: undefined };
  if (process.env.FUZZ_SEED) p.seed = Number(process.env.FUZZ_SEED);
  if (process.env.FUZZ_PATH) p.path = process.env.FUZZ_PATH;
  return p;
}

/** Mocha timeout for a suite of `cases` cases of about `msPerCase` each (never below 60 s). */
export function timeoutFor(cases: number, msPerCase: number): number {
  return Math.max(60_000, cases * msPerCase + 30_000);
}

/** Strings an attacker would try: operators, injection, traversal, prototype keys, control characters. */
export const NASTY_STRINGS = [
  '',
  ' ',
  '$gt',
  '$ne',
  '$where',
  '{"$gt":""}',
  '{"$ne":null}',
  '{"$where":"sleep(1000)"}',
  "'; DROP TABLE interactions; --",
  "' OR '1'='1",
  '" OR ""="',
  '1; SELECT pg_sleep(5)',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '../../etc/passwd',
  '..%2f..%2fetc%2fpasswd',
  '%00',
  '\u0000',
  '\u0000abc',
  '\r\nX-Injected: 1',
  '\u202e\u0645\u0631\u062d\u0628\u0627',
  '\ud83d\ude00\ud83d\udca9',
  '\ud800',
  '\uffff\ufffe',
  'A'.repeat(70_000),
  '0',
  '-1',
  'NaN',
  'Infinity',
  '1e309',
  'null',
  'undefined',
  'true',
  '000000000000000000000000',
  'ffffffffffffffffffffffff',
  '00000000-0000-0000-0000-000000000000',
  '.*',
  '^(a+)+$',
  '(?:',
  '\\',
  '%s%s%s%n',
  '${jndi:ldap://x/a}',
  '{{7*7}}',
];

export const nastyString = fc.constantFrom(...NASTY_STRINGS);

/** Any string: unicode (surrogates included), control characters, nasty constants, long runs. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: nastyString },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  {
    weight: 1,
    arbitrary: fc.string({
      unit: fc.constantFrom(
        '\u0000',
        '\u0001',
        '\u001b',
        '\u007f',
        '\r',
        '\n',
        '\t',
        '"',
        "'",
        '\\',
        '<',
        '>',
        '&',
        '$',
        '.',
        '{',
        '}',
      ),
      maxLength: 40,
    }),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(nastyString, fc.integer({ min: 100, max: 20_000 }))
      .map(([s, n]) => (s || 'x').repeat(Math.ceil(n / Math.max(1, s.length)))),
  },
);

/** MongoDB operators as values, in place of a scalar. */
export const operatorObject: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.constant({ $gt: '' }),
  fc.constant({ $ne: null }),
  fc.constant({ $ne: '' }),
  fc.constant({ $where: 'function(){return true}' }),
  fc.constant({ $regex: '.*' }),
  fc.constant({ $in: [null, '', 0] }),
  fc.constant({ $exists: true }),
  fc.constant({ $expr: { $eq: [1, 1] } }),
  fc.record({ $gt: hostileString }),
);

/** Prototype-pollution shaped objects (as JSON text: JSON.parse keeps `__proto__` as an own key). */
export const pollutionJson: fc.Arbitrary<string> = fc.constantFrom(
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"__proto__":{"isAdmin":true},"firstName":"x"}',
  '{"a":{"__proto__":{"roles":["admin"]}}}',
  '{"custom":{"__proto__":{"polluted":1}}}',
  '{"custom":{"constructor":{"prototype":{"polluted":1}}}}',
  '{"roles":["admin"],"passwordHash":"x"}',
);

/** Nesting of arrays/objects `depth` levels deep, as JSON text (too deep for naive recursion). */
export const deepJson: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 50, max: 5_000 }), fc.boolean())
  .map(([depth, arrays]) =>
    arrays ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth),
  );

/** Text that is not JSON, or not quite. */
export const malformedJson: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '{',
    '}',
    '{"a":',
    '{"a":1,}',
    "{'a':1}",
    '[1,2',
    'NaN',
    '{"a":undefined}',
    '\u0000',
    '{"a":"\\u12"}',
    '{"a":1}{"b":2}',
    '',
  ),
  fc.string({ unit: 'binary', maxLength: 80 }).filter((s) => {
    try {
      JSON.parse(s);
      return false;
    } catch {
      return true;
    }
  }),
);

/** A JSON value with hostile strings and operator objects mixed in. */
export const hostileJsonValue: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    operatorObject,
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof(hostileString, fc.constantFrom('$gt', '$where', '__proto__', 'constructor')),
      tie('v'),
      { maxKeys: 4 },
    ),
  ),
})).v;

// ---------------------------------------------------------------------------------------------------------
// JSON Schema -> arbitrary (enough of JSON Schema for hapi-swagger's OpenAPI 3.0 output and zod 4's export)

export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  'x-format'?: Record<string, unknown>;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  nullable?: boolean;
  default?: unknown;
  [k: string]: unknown;
}

export type Resolve = (ref: string) => JsonSchema;

function patternArb(pattern: string, min: number, max: number): fc.Arbitrary<string> {
  try {
    return fc
      .stringMatching(new RegExp(pattern))
      .filter((s) => s.length >= min && s.length <= max && new RegExp(pattern).test(s));
  } catch {
    return fc.string({ minLength: min, maxLength: max });
  }
}

/** Values that (mostly) satisfy `schema`: the "near-valid" starting point that mutations then break. */
export function fromSchema(schema: JsonSchema, resolve: Resolve, depth = 0): fc.Arbitrary<unknown> {
  if (schema.$ref) return fromSchema(resolve(schema.$ref), resolve, depth);
  const base = baseFromSchema(schema, resolve, depth);
  return schema.nullable ? fc.oneof(base, fc.constant(null)) : base;
}

function baseFromSchema(schema: JsonSchema, resolve: Resolve, depth: number): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives && alternatives.length > 0)
    return fc.oneof(...alternatives.map((s) => fromSchema(s, resolve, depth + 1)));
  if (schema.allOf && schema.allOf.length > 0)
    return fromSchema(schema.allOf[0] as JsonSchema, resolve, depth);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string': {
      const min = schema.minLength ?? 0;
      const max = Math.min(schema.maxLength ?? 40, 200);
      if (schema.format === 'uuid' || schema['x-format']?.guid) return fc.uuid({ version: 4 });
      if (schema.format === 'date-time' || schema.format === 'date')
        return fc
          .date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true })
          .map((d) => d.toISOString());
      if (schema.format === 'email' || schema['x-format']?.email) return fc.emailAddress();
      if (schema['x-format']?.hex) return fc.stringMatching(/^[0-9a-f]{24}$/);
      if (schema.pattern) return patternArb(schema.pattern, min, max);
      return fc.oneof(
        {
          weight: 3,
          arbitrary: fc.string({ minLength: Math.max(min, 1), maxLength: Math.max(max, Math.max(min, 1)) }),
        },
        {
          weight: 1,
          arbitrary: hostileString.filter((s) => s.length >= min && s.length <= (schema.maxLength ?? 1e9)),
        },
      );
    }
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 100_000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'array': {
      if (depth > 4) return fc.constant([]);
      const items = schema.items ? fromSchema(schema.items, resolve, depth + 1) : fc.string();
      const minLength = schema.minItems ?? 0;
      return fc.array(items, {
        minLength,
        maxLength: Math.max(minLength, Math.min(schema.maxItems ?? 4, 4)),
      });
    }
    case 'null':
      return fc.constant(null);
    case 'object':
    default: {
      const props = schema.properties ?? {};
      if (depth > 5 || Object.keys(props).length === 0) return fc.constant({});
      const required = new Set(schema.required ?? []);
      const shape: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, s] of Object.entries(props)) shape[k] = fromSchema(s, resolve, depth + 1);
      return fc.record(shape, { requiredKeys: Object.keys(props).filter((k) => required.has(k)) });
    }
  }
}

/** Breaks a near-valid object: drops a key, swaps a value for a wrong type or an operator, adds keys. */
export function mutate(value: unknown): fc.Arbitrary<unknown> {
  const wrong = fc.oneof(
    hostileString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constant([]),
    fc.constant({}),
    operatorObject,
    fc.array(hostileString, { maxLength: 3 }),
  );
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return fc.oneof(wrong, fc.constant(value));
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  const options: Array<fc.Arbitrary<unknown>> = [
    fc
      .tuple(
        fc.oneof(
          hostileString,
          fc.constantFrom('$where', '$gt', 'roles', 'passwordHash', '_id', 'constructor'),
        ),
        fc.oneof(wrong, operatorObject),
      )
      .map(([k, v]) => ({ ...obj, [k]: v })),
    fc.constant([obj]),
  ];
  if (keys.length > 0) {
    const key = fc.constantFrom(...keys);
    options.push(
      key.map((k) => {
        const copy = { ...obj };
        delete copy[k];
        return copy;
      }),
      fc.tuple(key, wrong).map(([k, v]) => ({ ...obj, [k]: v })),
      fc.tuple(key, fc.integer({ min: 300, max: 100_000 })).map(([k, n]) => ({ ...obj, [k]: 'x'.repeat(n) })),
      fc.tuple(key, hostileJsonValue).map(([k, v]) => ({ ...obj, [k]: v })),
    );
  }
  return fc.oneof(...options);
}

/** A unique marker per case, to find its traces (dead letters, stored documents, log lines). */
let counter = 0;
export function marker(prefix = 'fuzz'): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}
