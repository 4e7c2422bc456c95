import type { Plugin } from '@hapi/hapi';
import type { DesktopSettings } from '../../settings';
import { GuestLimiter } from './limiter';
import { guestRoutes } from './routes';
import { GuestService } from './service';

export interface GuestOptions {
  settings: DesktopSettings;
  limiter?: GuestLimiter;
}

/** The customer's web call page: guest tokens, nothing else without an account. */
export const guestPlugin: Plugin<GuestOptions> = {
  name: 'ipcc-guest',
  register(server, { settings, limiter }) {
    server.route(guestRoutes(new GuestService(settings, limiter ?? new GuestLimiter())));
  },
};
