import { NotFoundError } from '../../errors';
import type { Caller } from '../../http/credentials';
import { ReplyTemplate, type ReplyChannel } from '../../models/reply-template';
import { recordChange } from '../admin/audit/service';
import { present } from '../admin/present';

export interface TemplateInput {
  name?: string;
  channel?: ReplyChannel;
  text?: string;
}

/** Reply templates: agents list them, administrators change them (each change audited). */
export class TemplateService {
  async list(channel: ReplyChannel | undefined) {
    const filter = channel === undefined ? {} : { channel };
    return (await ReplyTemplate.find(filter).sort({ channel: 1, name: 1 }).lean()).map(present);
  }

  async create(input: Required<TemplateInput>, caller: Caller) {
    const created = await ReplyTemplate.create(input);
    const after = present(created.toObject());
    await recordChange(caller, 'create', 'replytemplate', after.id, null, after);
    return after;
  }

  async update(id: string, input: TemplateInput, caller: Caller) {
    const before = await ReplyTemplate.findById(id).lean();
    if (!before) throw new NotFoundError('reply template');
    const updated = await ReplyTemplate.findByIdAndUpdate(
      id,
      { $set: { ...input, updatedAt: new Date() } },
      { returnDocument: 'after', runValidators: true },
    ).lean();
    if (!updated) throw new NotFoundError('reply template');
    await recordChange(caller, 'update', 'replytemplate', id, present(before), present(updated));
    return present(updated);
  }

  async remove(id: string, caller: Caller) {
    const before = await ReplyTemplate.findById(id).lean();
    if (!before) throw new NotFoundError('reply template');
    await ReplyTemplate.deleteOne({ _id: id });
    await recordChange(caller, 'delete', 'replytemplate', id, present(before), null);
  }
}
