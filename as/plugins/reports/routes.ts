import type { ServerRoute } from '@hapi/hapi';
import { callerOf } from '../../http/credentials';
import { agentReportQuery, queueReportQuery, queueSummaryQuery, queueSummaryResponse } from './schemas';
import type { QueueChannel } from '../../models';
import { scopeOf } from './scope';
import { agentCsv, queueCsv, type ReportQuery, type ReportService } from './service';

const OVERSEERS = ['supervisor', 'admin'];
const SCOPE_NOTE =
  'A supervisor sees the queues its record lists in `supervises`, an administrator every queue; ' +
  'a `queueId` outside the caller’s queues is refused with 403.';

/** The queue selection of a queue report: one queue, and/or the queues of one channel. */
type ByChannel = { queueId?: string; channel?: QueueChannel };

export function reportRoutes(service: ReportService): ServerRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/v1/reports/queues',
      options: {
        auth: { access: { scope: OVERSEERS } },
        // 404: an unknown queue or agent; 403 also when it is outside the caller's queues.
        plugins: { 'ipcc-openapi': { errors: [404] } },
        tags: ['api', 'reports'],
        description:
          'Per queue and interval: offered, answered, abandoned, service level, ASA, AHT, longest wait',
        notes: `Intervals are aligned to UTC; format=csv returns text/csv. ${SCOPE_NOTE}`,
        validate: { query: queueReportQuery },
      },
      handler: async (request, h) => {
        const { format, queueId, channel, ...window } = request.query as unknown as ReportQuery & ByChannel;
        const rows = await service.queues(window, await scopeOf(callerOf(request)), queueId, channel);
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
      path: '/api/v1/reports/queues/summary',
      options: {
        auth: { access: { scope: OVERSEERS } },
        // 404: an unknown queue or agent; 403 also when it is outside the caller's queues.
        plugins: { 'ipcc-openapi': { errors: [404] } },
        tags: ['api', 'reports'],
        description:
          'One queue or all the caller’s queues taken together: per interval, over the range, per queue',
        notes:
          'The reports page’s figures. Service level, ASA and AHT of several queues are computed from ' +
          `their contacts (each held to its own queue’s threshold), not averaged from rows. ${SCOPE_NOTE}`,
        validate: { query: queueSummaryQuery },
        response: { schema: queueSummaryResponse, failAction: 'log' },
      },
      handler: async (request) => {
        const { queueId, channel, ...window } = request.query as unknown as ReportQuery & ByChannel;
        return service.summary(window, await scopeOf(callerOf(request)), queueId, channel);
      },
    },
    {
      method: 'GET',
      path: '/api/v1/reports/agents',
      options: {
        auth: { access: { scope: OVERSEERS } },
        // 404: an unknown queue or agent; 403 also when it is outside the caller's queues.
        plugins: { 'ipcc-openapi': { errors: [404] } },
        tags: ['api', 'reports'],
        description: 'Per agent and interval: handled, talk time, not-ready time by reason',
        notes:
          'Intervals are aligned to UTC; format=csv returns text/csv. With a `queueId`, or for a supervisor, ' +
          'the agents are the team of the queues covered (holding the skills one asks for) and handled and ' +
          `talk time count those queues’ contacts only. ${SCOPE_NOTE}`,
        validate: { query: agentReportQuery },
      },
      handler: async (request, h) => {
        const { format, agentId, queueId, ...window } = request.query as unknown as ReportQuery & {
          agentId?: string;
          queueId?: string;
        };
        const rows = await service.agents(window, await scopeOf(callerOf(request)), {
          ...(agentId === undefined ? {} : { agentId }),
          ...(queueId === undefined ? {} : { queue: queueId }),
        });
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
