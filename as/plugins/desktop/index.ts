import type { Plugin } from '@hapi/hapi';
import type { DesktopSettings } from '../../settings';
import { desktopRoutes } from './routes';
import { DesktopService, type SipPasswordOf } from './service';

export interface DesktopOptions {
  settings: DesktopSettings;
  sipPassword: SipPasswordOf;
}

/** The agent desktop's API: its settings and the softphone's SIP account. */
export const desktopPlugin: Plugin<DesktopOptions> = {
  name: 'ipcc-desktop',
  dependencies: ['ipcc-auth'],
  register(server, { settings, sipPassword }) {
    server.route(desktopRoutes(new DesktopService(settings, sipPassword)));
  },
};
