import type { Logger } from '../../../lib/log';
import { ForbiddenError, InvalidError } from '../../errors';
import { seesAllContacts, type Caller } from '../../http/credentials';
import { DispositionCode, Interaction, type Channel } from '../../models';
import { loadVisibleInteraction, SUMMARY_FIELDS, type InteractionRecord } from './access';
import { writeInteraction } from './writes';

export interface HistoryQuery {
  from?: Date;
  to?: Date;
  channel?: Channel;
  queueId?: string;
  agentId?: string;
  customerId?: string;
  limit: number;
  skip: number;
}

function present<T extends { _id: string }>(doc: T) {
  const { _id, ...rest } = doc;
  return { id: _id, ...rest };
}

const sameTime = (a: unknown, b: Date): boolean => a instanceof Date && a.getTime() === b.getTime();

export class InteractionService {
  constructor(private readonly log?: Logger) {}

  async history(query: HistoryQuery, caller: Caller) {
    if (!seesAllContacts(caller) && query.agentId !== undefined && query.agentId !== caller.id) {
      throw new ForbiddenError('agents read only their own contacts');
    }
    const filter: Record<string, unknown> = {};
    const agentId = seesAllContacts(caller) ? query.agentId : caller.id;
    if (agentId !== undefined) filter.agentId = agentId;
    for (const key of ['channel', 'queueId', 'customerId'] as const) {
      if (query[key] !== undefined) filter[key] = query[key];
    }
    if (query.from || query.to) {
      filter.createdAt = { ...(query.from && { $gte: query.from }), ...(query.to && { $lt: query.to }) };
    }
    const found = await Interaction.find(filter)
      .select(SUMMARY_FIELDS)
      .sort({ createdAt: -1, _id: 1 })
      .skip(query.skip)
      .limit(query.limit)
      .lean<InteractionRecord[]>();
    return found.map(present);
  }

  async get(id: string, caller: Caller) {
    return present(await loadVisibleInteraction(id, caller));
  }

  /** Only a configured code (admin/dispositions): reports group by it, so free text would split them. */
  async setDisposition(id: string, disposition: string, caller: Caller) {
    await loadVisibleInteraction(id, caller);
    if (!(await DispositionCode.exists({ name: disposition }))) {
      const known = (await DispositionCode.find().select('name').sort({ name: 1 }).lean()).map((d) => d.name);
      throw new InvalidError(`unknown disposition code "${disposition}"`, { allowed: known });
    }
    const at = new Date();
    const mark = { at, type: 'DispositionSet', data: { disposition, by: caller.id } };
    await writeInteraction(
      id,
      'disposition',
      () => Interaction.updateOne({ _id: id }, { $set: { disposition }, $push: { timeline: mark } }),
      (doc) =>
        doc.disposition === disposition &&
        (doc.timeline ?? []).some(
          (e) => e.type === mark.type && sameTime(e.at, at) && (e.data as { by?: unknown })?.by === caller.id,
        ),
      this.log,
    );
    const updated = await Interaction.findById(id).lean<InteractionRecord>();
    return present(updated as InteractionRecord);
  }

  async addNote(id: string, text: string, caller: Caller) {
    await loadVisibleInteraction(id, caller);
    const note = { at: new Date(), by: caller.id, text };
    await writeInteraction(
      id,
      'note',
      () =>
        Interaction.updateOne(
          { _id: id },
          { $push: { notes: note, timeline: { at: note.at, type: 'NoteAdded', data: { by: caller.id } } } },
        ),
      (doc) => (doc.notes ?? []).some((n) => sameTime(n.at, note.at) && n.by === note.by),
      this.log,
    );
    return note;
  }
}
