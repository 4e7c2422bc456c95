import { ConflictError, NotFoundError } from '../../../errors';
import type { Caller } from '../../../http/credentials';
import { Prompt } from '../../../models';
import { recordChange } from '../audit/service';
import { flowsUsing, queuesUsingPrompt } from '../flows/references';
import { present } from '../present';

export interface PromptInput {
  name?: string;
  description?: string;
  formats?: string[];
}

export class PromptService {
  async list() {
    return (await Prompt.find().sort({ name: 1 }).lean()).map(present);
  }

  async get(id: string) {
    const prompt = await Prompt.findById(id).lean();
    if (!prompt) throw new NotFoundError('prompt');
    return present(prompt);
  }

  async create(input: PromptInput, caller: Caller) {
    const created = await Prompt.create(input);
    const after = present(created.toObject());
    await recordChange(caller, 'create', 'prompt', after.id, null, after);
    return after;
  }

  async update(id: string, input: PromptInput, caller: Caller) {
    const before = await Prompt.findById(id).lean();
    if (!before) throw new NotFoundError('prompt');
    if (input.name !== undefined && input.name !== before.name)
      await this.assertUnused(before.name, 'renamed');
    const updated = await Prompt.findByIdAndUpdate(
      id,
      { $set: { ...input, updatedAt: new Date() } },
      { returnDocument: 'after', runValidators: true },
    ).lean();
    if (!updated) throw new NotFoundError('prompt');
    await recordChange(caller, 'update', 'prompt', id, present(before), present(updated));
    return present(updated);
  }

  async remove(id: string, caller: Caller) {
    const before = await Prompt.findById(id).lean();
    if (!before) throw new NotFoundError('prompt');
    await this.assertUnused(before.name, 'deleted');
    await Prompt.deleteOne({ _id: id });
    await recordChange(caller, 'delete', 'prompt', id, present(before), null);
  }

  private async assertUnused(name: string, verb: string) {
    const [flows, queues] = await Promise.all([flowsUsing('prompt', name), queuesUsingPrompt(name)]);
    if (flows.length > 0 || queues.length > 0) {
      throw new ConflictError(`prompt "${name}" cannot be ${verb}: it is in use`, { flows, queues });
    }
  }
}
