import Inert from '@hapi/inert';
import type { Plugin } from '@hapi/hapi';
import { pageRoutes, type PagesOptions } from './routes';

/**
 * The browser pages: the agent desktop at /agent/ and the customer's web call page at /call/<number>,
 * both from the UI build (agent-ui/dist). Not part of the API: no OpenAPI entry, a CSP of their own.
 */
export const pagesPlugin: Plugin<PagesOptions> = {
  name: 'ipcc-pages',
  async register(server, options) {
    // The OpenAPI plugin registers inert too; `once` makes whichever comes second a no-op.
    await server.register({ plugin: Inert, once: true });
    server.route(pageRoutes(options));
  },
};
