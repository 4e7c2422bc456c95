import type { ServerRoute } from '@hapi/hapi';
import { agentReportQuery, queueReportQuery } from './schemas';
import { agentCsv, queueCsv, type ReportQuery, type ReportService } from './service';

const OVERSEERS = ['supervisor', 'admin'];

export function reportRoutes(service: ReportService): ServerRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/v1/reports/queues',
      options: {
        auth: { access: { scope: OVERSEERS } },
        tags: ['api', 'reports'],
        description:
          'Per queue and interval: offered, answered, abandoned, service level, ASA, AHT, longest wait',
        notes: 'Intervals are aligned to UTC; format=csv returns text/csv.',
        validate: { query: queueReportQuery },
      },
      handler: async (request, h) => {
        const { format, queueId, ...window } = request.query as unknown as ReportQuery & { queueId?: string };
        const rows = await service.queues(window, queueId);
        if (format === 'csv') {
          return h
            .response(queueCsv(rows))
            .type('text/csv')
            .header('Content-Disposition', 'attachment; filename="queues.csv"');
        }
        return rows;
      },
    },
    {
      method: 'GET',
      path: '/api/v1/reports/agents',
      options: {
        auth: { access: { scope: OVERSEERS } },
        tags: ['api', 'reports'],
        description: 'Per agent and interval: handled, talk time, not-ready time by reason',
        notes: 'Intervals are aligned to UTC; format=csv returns text/csv.',
        validate: { query: agentReportQuery },
      },
      handler: async (request, h) => {
        const { format, agentId, ...window } = request.query as unknown as ReportQuery & { agentId?: string };
        const rows = await service.agents(window, agentId);
        if (format === 'csv') {
          return h
            .response(agentCsv(rows))
            .type('text/csv')
            .header('Content-Disposition', 'attachment; filename="agents.csv"');
        }
        return rows;
      },
    },
  ];
}
