import type { Plugin } from '@hapi/hapi';
import type { CountryCode } from 'libphonenumber-js';
import { customerRoutes } from './routes';
import { CustomerService } from './service';

export const customersPlugin: Plugin<{ defaultCountry: CountryCode }> = {
  name: 'ipcc-customers',
  register(server, options) {
    server.route(customerRoutes(new CustomerService(options.defaultCountry)));
  },
};
