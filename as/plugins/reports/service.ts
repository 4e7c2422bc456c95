import { stringify } from 'csv-stringify/sync';
import {
  agentReport,
  bucketStarts,
  queueReport,
  ReportRangeError,
  type AgentRow,
  type AgentStateEvent,
  type QueueRow,
  type ReportWindow,
} from '../../domain/reports';
import { InvalidError, NotFoundError } from '../../errors';
import { Agent, AgentState, Interaction, Queue } from '../../models';
import { findQueue } from '../admin/queues/identity';

export interface ReportQuery extends ReportWindow {
  format: 'json' | 'csv';
}

/**
 * Reads only the summary fields and computes in code (domain/reports.ts): FerretDB v1 implements neither
 * `$subtract` nor the `$max`/`$first` accumulators such a pipeline would need.
 */
export class ReportService {
  constructor(private readonly now: () => Date) {}

  /**
   * Contacts carry their queue's name (`queueId`, as CTI stores it), so rows are selected and presented
   * by name: `queueId` in a row is the queue's name. `queue`: a name, or an ObjectId for a transition.
   */
  async queues(window: ReportWindow, queue?: string) {
    this.checkWindow(window);
    const found = queue === undefined ? await Queue.find().lean() : [await findQueue(queue)];
    const queues = found.filter((q) => q !== null).sort((a, b) => (a.name < b.name ? -1 : 1));
    if (queue !== undefined && queues.length === 0) throw new NotFoundError('queue');
    const names = queues.map((q) => q.name);
    const contacts = await Interaction.find({
      queueId: { $in: names },
      queuedAt: { $gte: window.from, $lt: window.to },
    })
      .select('queueId queuedAt answeredAt endedAt abandoned')
      .lean();
    return queueReport(contacts, window, new Map(queues.map((q) => [q.name, q.serviceLevelSec])));
  }

  async agents(window: ReportWindow, agentId?: string) {
    this.checkWindow(window);
    const agents = await Agent.find(agentId ? { _id: agentId } : { roles: 'agent' })
      .select('login displayName')
      .sort({ login: 1 })
      .lean();
    if (agentId && agents.length === 0) throw new NotFoundError('agent');
    const ids = agents.map((a) => a._id.toHexString());
    const [contacts, inWindow, before] = await Promise.all([
      Interaction.find({ agentId: { $in: ids }, answeredAt: { $gte: window.from, $lt: window.to } })
        .select('agentId answeredAt endedAt')
        .lean(),
      AgentState.find({ agentId: { $in: ids }, at: { $gte: window.from, $lt: window.to } })
        .select('agentId state reason at')
        .lean(),
      // The state each agent was in when the window opened: one indexed lookup per agent.
      Promise.all(
        ids.map((id) =>
          AgentState.findOne({ agentId: id, at: { $lt: window.from } })
            .sort({ at: -1 })
            .select('agentId state reason at')
            .lean(),
        ),
      ),
    ]);
    const states: AgentStateEvent[] = [...inWindow, ...before.filter((s) => s !== null)];
    const logins = new Map(agents.map((a) => [a._id.toHexString(), a.login]));
    return agentReport(contacts, states, window, ids, this.now()).map((row) => ({
      login: logins.get(row.agentId),
      ...row,
    }));
  }

  private checkWindow(window: ReportWindow) {
    try {
      bucketStarts(window);
    } catch (err) {
      if (err instanceof ReportRangeError) throw new InvalidError(err.message);
      throw err;
    }
  }
}

const csvValue = (v: unknown) =>
  v === null || v === undefined ? '' : v instanceof Date ? v.toISOString() : v;

export function queueCsv(rows: QueueRow[]): string {
  const columns = [
    'queueId',
    'intervalStart',
    'offered',
    'answered',
    'abandoned',
    'abandonRate',
    'answeredWithinThreshold',
    'serviceLevel',
    'asaSec',
    'ahtSec',
    'longestWaitSec',
  ] as const;
  return stringify(
    rows.map((r) => columns.map((c) => csvValue(r[c]))),
    { header: true, columns: [...columns] },
  );
}

export function agentCsv(rows: (AgentRow & { login?: string })[]): string {
  const reasons = [...new Set(rows.flatMap((r) => Object.keys(r.notReadyByReason)))].sort();
  const header = ['agentId', 'login', 'intervalStart', 'handled', 'talkTimeSec', 'notReadySec'];
  return stringify(
    rows.map((r) => [
      r.agentId,
      csvValue(r.login),
      r.intervalStart.toISOString(),
      r.handled,
      r.talkTimeSec,
      r.notReadySec,
      // Own keys only: reasons are free names, and `toString` must not read Object.prototype's.
      ...reasons.map((reason) =>
        Object.prototype.hasOwnProperty.call(r.notReadyByReason, reason) ? r.notReadyByReason[reason] : 0,
      ),
    ]),
    { header: true, columns: [...header, ...reasons.map((r) => `notReady:${r}`)] },
  );
}
