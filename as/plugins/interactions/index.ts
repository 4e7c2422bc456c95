import type { Plugin } from '@hapi/hapi';
import { interactionRoutes } from './routes';
import { InteractionService } from './service';

export const interactionsPlugin: Plugin<void> = {
  name: 'ipcc-interactions',
  register(server) {
    server.route(interactionRoutes(new InteractionService()));
  },
};
