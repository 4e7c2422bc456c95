import Inert from '@hapi/inert';
import Vision from '@hapi/vision';
import type { Plugin, Server } from '@hapi/hapi';
import HapiSwagger from 'hapi-swagger';

/**
 * OpenAPI 3.0 description generated from the route definitions (their joi schemas, descriptions and
 * tags), served without authentication at /openapi.json. The UI page is off: this is an API server.
 */
export const openapiPlugin: Plugin<{ version: string }> = {
  name: 'ipcc-openapi',
  async register(server: Server, options) {
    await server.register([
      { plugin: Inert },
      { plugin: Vision },
      {
        plugin: HapiSwagger,
        options: {
          OAS: 'v3.0',
          info: { title: 'IPCC application server (interfaces C and D)', version: options.version },
          auth: false,
          documentationPage: false,
          swaggerUI: false,
          securityDefinitions: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
          security: [{ bearer: [] }],
          grouping: 'tags',
        } satisfies HapiSwagger.RegisterOptions,
      },
    ]);
  },
};
