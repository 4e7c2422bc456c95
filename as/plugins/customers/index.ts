import type { Plugin } from '@hapi/hapi';
import type { CountryCode } from 'libphonenumber-js';
import type { Logger } from '../../../lib/log';
import { customerRoutes } from './routes';
import { CustomerService } from './service';

export const customersPlugin: Plugin<{ defaultCountry: CountryCode; log?: Logger }> = {
  name: 'ipcc-customers',
  register(server, options) {
    server.route(customerRoutes(new CustomerService(options.defaultCountry, options.log)));
  },
};
