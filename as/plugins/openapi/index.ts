import Inert from '@hapi/inert';
import Vision from '@hapi/vision';
import type { Plugin, Server } from '@hapi/hapi';
import HapiSwagger from 'hapi-swagger';
import { describeAnswers } from './responses';

/**
 * OpenAPI 3.0 description generated from the route definitions (their joi schemas, descriptions and
 * tags), served without authentication at /openapi.json. The UI page is off: this is an API server.
 */
export const openapiPlugin: Plugin<{ version: string }> = {
  name: 'ipcc-openapi',
  async register(server: Server, options) {
    // Described when the document is first asked for, so every plugin's routes are there whatever the
    // registration order (hapi-swagger reads route settings on each request for the document).
    let described = false;
    server.ext('onRequest', (request, h) => {
      if (!described && request.path === '/openapi.json') {
        describeAnswers(server);
        described = true;
      }
      return h.continue;
    });
    await server.register([
      { plugin: Inert },
      { plugin: Vision },
      {
        plugin: HapiSwagger,
        options: {
          OAS: 'v3.0',
          info: {
            title: 'IPCC application server (interfaces C and D)',
            version: options.version,
            license: { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' },
          },
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
