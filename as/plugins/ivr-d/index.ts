import type { Plugin } from '@hapi/hapi';
import type { CountryCode } from 'libphonenumber-js';
import { ivrRoutes } from './routes';
import { IvrDataService } from './service';

export const ivrDataPlugin: Plugin<{ defaultCountry: CountryCode }> = {
  name: 'ipcc-ivr-d',
  register(server, options) {
    server.route(ivrRoutes(new IvrDataService(options.defaultCountry)));
  },
};
