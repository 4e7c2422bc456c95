import { expect } from '../../support/chai';
import { AsApi } from '../../../agent-ui/src/adapters/as-api';
import { loadReport } from '../../../agent-ui/src/views/console/reports/reports-api';

/** The page's two reads, through the real AS client with a recording fetch. */
describe('agent-ui reports page reads', () => {
  const window = { from: new Date('2025-03-10T00:00:00Z'), to: new Date('2025-03-11T00:00:00Z') };

  function recording(answers: Record<string, unknown>) {
    const urls: string[] = [];
    const api = new AsApi('', (input) => {
      const url = input as string;
      urls.push(url);
      const path = url.split('?')[0] as string;
      return Promise.resolve(new Response(JSON.stringify(answers[path]), { status: 200 }));
    });
    api.setToken('t');
    return { api, urls };
  }

  it('asks for the summary at the chosen interval and the agents by day, for one queue', async () => {
    const summary = { queues: ['sales'], intervals: [], total: {}, byQueue: [] };
    const { api, urls } = recording({
      '/api/v1/reports/queues/summary': summary,
      '/api/v1/reports/agents': [],
    });
    const data = await loadReport(api, { ...window, interval: '15m', queue: 'sales' });
    expect(data).to.deep.equal({ summary, agents: [] });
    expect(urls.sort()).to.deep.equal([
      '/api/v1/reports/agents?from=2025-03-10T00%3A00%3A00.000Z&to=2025-03-11T00%3A00%3A00.000Z&interval=1d&queueId=sales',
      '/api/v1/reports/queues/summary?from=2025-03-10T00%3A00%3A00.000Z&to=2025-03-11T00%3A00%3A00.000Z&interval=15m&queueId=sales',
    ]);
  });

  it('sends no queue for every queue, and passes on the AS refusal', async () => {
    const summary = { queues: ['sales', 'support'], intervals: [], total: {}, byQueue: [] };
    const { api, urls } = recording({
      '/api/v1/reports/queues/summary': summary,
      '/api/v1/reports/agents': [],
    });
    const refusing = new AsApi('', (input) => {
      urls.push(input as string);
      const body = { statusCode: 403, message: 'queue "support" is not one of the queues you supervise' };
      return Promise.resolve(new Response(JSON.stringify(body), { status: 403 }));
    });
    expect(await loadReport(api, { ...window, interval: '1h' })).to.deep.equal({ summary, agents: [] });
    // Exactly the two reads, neither naming a queue (an empty list must not pass for "no queueId").
    expect([...urls].sort()).to.deep.equal([
      '/api/v1/reports/agents?from=2025-03-10T00%3A00%3A00.000Z&to=2025-03-11T00%3A00%3A00.000Z&interval=1d',
      '/api/v1/reports/queues/summary?from=2025-03-10T00%3A00%3A00.000Z&to=2025-03-11T00%3A00%3A00.000Z&interval=1h',
    ]);
    const err = await loadReport(refusing, { ...window, interval: '1h', queue: 'support' }).catch(
      (e: unknown) => e,
    );
    expect(err).to.include({
      status: 403,
      message: 'queue "support" is not one of the queues you supervise',
    });
  });
});
