import type { AsApi } from '../../../adapters/as-api';
import type { AgentRow, QueueSummary, ReportInterval } from '../../../domain/report-series';

export interface ReportRequest {
  from: Date;
  to: Date;
  interval: ReportInterval;
  /** One queue by name; none: every queue the person may see. */
  queue?: string;
}

export interface ReportData {
  summary: QueueSummary;
  agents: AgentRow[];
}

/**
 * The page's two reads, in parallel: the queues' summary and the agents' rows. The agents' report asks
 * for daily rows: the page shows each agent over the range, and the AS clips every figure to the window.
 */
export async function loadReport(api: AsApi, req: ReportRequest): Promise<ReportData> {
  const query = (interval: ReportInterval) => {
    const q = new URLSearchParams({ from: req.from.toISOString(), to: req.to.toISOString(), interval });
    if (req.queue !== undefined) q.set('queueId', req.queue);
    return q.toString();
  };
  const [summary, agents] = await Promise.all([
    api.request<QueueSummary>('GET', `/api/v1/reports/queues/summary?${query(req.interval)}`),
    api.request<AgentRow[]>('GET', `/api/v1/reports/agents?${query('1d')}`),
  ]);
  return { summary, agents };
}
