import type { Plugin } from '@hapi/hapi';
import type { Logger } from '../../../lib/log';
import { interactionRoutes } from './routes';
import { InteractionService } from './service';

export interface InteractionsOptions {
  log: Logger;
}

export const interactionsPlugin: Plugin<InteractionsOptions> = {
  name: 'ipcc-interactions',
  register(server, { log }) {
    server.route(interactionRoutes(new InteractionService(log)));
  },
};
