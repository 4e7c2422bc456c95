import type { Plugin } from '@hapi/hapi';
import { reportRoutes } from './routes';
import { ReportService } from './service';

export const reportsPlugin: Plugin<{ now: () => Date }> = {
  name: 'ipcc-reports',
  register(server, options) {
    server.route(reportRoutes(new ReportService(options.now)));
  },
};
