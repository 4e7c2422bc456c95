import type { Types } from 'mongoose';
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
import { queueSummary, servesQueue } from '../../domain/report-summary';
import { ForbiddenError, InvalidError, NotFoundError } from '../../errors';
import { Agent, AgentState, Interaction, type QueueChannel } from '../../models';
import { queuesInScope, type QueueRecord, type ReportScope } from './scope';

export interface ReportQuery extends ReportWindow {
  format: 'json' | 'csv';
}

/**
 * Reads only the summary fields and computes in code (domain/reports.ts): FerretDB v1 implements neither
 * `$subtract` nor the `$max`/`$first` accumulators such a pipeline would need. Every report covers the
 * queues of the caller's scope (scope.ts): a supervisor its own, an administrator all.
 */
export class ReportService {
  constructor(private readonly now: () => Date) {}

  /**
   * Contacts carry their queue's name (`queueId`, as CTI stores it), so rows are selected and presented
   * by name: `queueId` in a row is the queue's name. `queue`: a name, or an ObjectId for a transition.
   */
  async queues(window: ReportWindow, scope: ReportScope, queue?: string, channel?: QueueChannel) {
    this.checkWindow(window);
    const queues = ofChannel(await queuesInScope(scope, queue), channel);
    const contacts = await this.queuedContacts(window, queues);
    return queueReport(contacts, window, new Map(queues.map((q) => [q.name, q.serviceLevelSec])));
  }

  /** The selection's contacts taken together, per interval and over the range, and each queue's total. */
  async summary(window: ReportWindow, scope: ReportScope, queue?: string, channel?: QueueChannel) {
    this.checkWindow(window);
    const queues = ofChannel(await queuesInScope(scope, queue), channel);
    const contacts = await this.queuedContacts(window, queues);
    return queueSummary(
      contacts,
      window,
      new Map(queues.map((q) => [q.name, q.serviceLevelSec])),
      new Map(queues.map((q) => [q.name, q.channel ?? 'voice'])),
    );
  }

  /**
   * An administrator without a queue gets every agent and every contact it handled. Otherwise the team
   * of the queues covered (agents holding the skills one of them asks for) and only those queues'
   * contacts; not-ready time is the agent's own, whatever queue it serves.
   */
  async agents(window: ReportWindow, scope: ReportScope, select: { agentId?: string; queue?: string }) {
    this.checkWindow(window);
    const { agentId, queue } = select;
    let agents: { _id: Types.ObjectId; login: string }[];
    let contactFilter: Record<string, unknown> = {};
    if (scope.queues === null && queue === undefined) {
      agents = await Agent.find(agentId ? { _id: agentId } : { roles: 'agent' })
        .select('login')
        .sort({ login: 1 })
        .lean();
      if (agentId && agents.length === 0) throw new NotFoundError('agent');
    } else {
      const queues = await queuesInScope(scope, queue);
      const everyAgent = await Agent.find({ roles: 'agent' })
        .select('login skills')
        .sort({ login: 1 })
        .lean();
      agents = everyAgent.filter((a) => queues.some((q) => servesQueue(a.skills, q.skills)));
      contactFilter = { queueId: { $in: queues.map((q) => q.name) } };
      if (agentId !== undefined) {
        agents = agents.filter((a) => a._id.toHexString() === agentId);
        if (agents.length === 0) {
          if ((await Agent.exists({ _id: agentId })) === null) throw new NotFoundError('agent');
          throw new ForbiddenError('this agent serves none of the queues this report covers');
        }
      }
    }
    const ids = agents.map((a) => a._id.toHexString());
    const [contacts, inWindow, before] = await Promise.all([
      Interaction.find({
        ...contactFilter,
        agentId: { $in: ids },
        answeredAt: { $gte: window.from, $lt: window.to },
      })
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

  private async queuedContacts(window: ReportWindow, queues: readonly QueueRecord[]) {
    return Interaction.find({
      queueId: { $in: queues.map((q) => q.name) },
      queuedAt: { $gte: window.from, $lt: window.to },
    })
      .select('queueId queuedAt answeredAt endedAt abandoned')
      .lean();
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

/** The queues of one channel (a queue stored before queues had a channel is a voice queue). */
function ofChannel(queues: QueueRecord[], channel: QueueChannel | undefined): QueueRecord[] {
  return channel === undefined ? queues : queues.filter((q) => (q.channel ?? 'voice') === channel);
}
