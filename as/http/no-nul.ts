import Boom from '@hapi/boom';
import type { Lifecycle } from '@hapi/hapi';

/** Deeper than any document of this API; hostile payloads nest thousands deep to exhaust the stack. */
export const MAX_DEPTH = 64;

export type TextProblem = { kind: 'nul'; at: string } | { kind: 'too-deep'; at: string };

/**
 * Walks a decoded request part without recursion and finds the first NUL character (in a value or a
 * key) or the first place nested deeper than MAX_DEPTH.
 */
export function findTextProblem(root: unknown, rootName: string): TextProblem | undefined {
  const stack: Array<{ value: unknown; at: string; depth: number }> = [
    { value: root, at: rootName, depth: 0 },
  ];
  while (stack.length > 0) {
    const { value, at, depth } = stack.pop() as { value: unknown; at: string; depth: number };
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return { kind: 'nul', at };
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_DEPTH) return { kind: 'too-deep', at };
    for (const [key, child] of Object.entries(value)) {
      if (key.includes('\u0000')) return { kind: 'nul', at: `${at}.<key>` };
      stack.push({ value: child, at: `${at}.${key}`, depth: depth + 1 });
    }
  }
  return undefined;
}

/**
 * A NUL character in any text is refused with 400 before validation: the PostgreSQL behind FerretDB
 * cannot store it (SQLSTATE 22P05) and the request failed with 500 (found by spec/fuzz). Absurdly deep
 * nesting is refused here too, before anything walks it recursively.
 */
export const refuseNul: Lifecycle.Method = (request, h) => {
  const problem =
    findTextProblem(request.params, 'params') ??
    findTextProblem(request.query, 'query') ??
    findTextProblem(request.payload, 'payload');
  if (problem?.kind === 'nul')
    throw Boom.badRequest(`text must not contain NUL characters (at ${problem.at})`);
  if (problem?.kind === 'too-deep')
    throw Boom.badRequest(`nested deeper than ${MAX_DEPTH} levels (at ${problem.at.slice(0, 200)})`);
  return h.continue;
};
