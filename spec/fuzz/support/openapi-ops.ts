import type { JsonSchema } from './fuzz';

/** The AS's routes as its served OpenAPI description lists them, for generating requests (as-rest.spec.ts). */

export interface Operation {
  method: string;
  path: string;
  pathParams: Array<{ name: string; schema: JsonSchema }>;
  queryParams: Array<{ name: string; schema: JsonSchema }>;
  body?: JsonSchema;
}

export interface OpenApiDoc {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: Array<{ in: string; name: string; schema?: JsonSchema }>;
        requestBody?: { content?: Record<string, { schema: JsonSchema }> };
      }
    >
  >;
  components?: { schemas?: Record<string, JsonSchema> };
}

export interface Req {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

export function operationsOf(doc: OpenApiDoc): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const ps = op.parameters ?? [];
      ops.push({
        method: method.toUpperCase(),
        path,
        pathParams: ps.filter((p) => p.in === 'path').map((p) => ({ name: p.name, schema: p.schema ?? {} })),
        queryParams: ps
          .filter((p) => p.in === 'query')
          .map((p) => ({ name: p.name, schema: p.schema ?? {} })),
        ...(op.requestBody?.content?.['application/json']
          ? { body: op.requestBody.content['application/json'].schema }
          : {}),
      });
    }
  }
  return ops;
}
