import { type FlowNode, promptsOf, queueOf } from '../../../../lib/flow/flow';
import { BusinessHours, IvrFlow, Prompt, Queue } from '../../../models';

/**
 * Reference lookups between flows, prompts and queues. Done in code over all flows (a tenant has a handful)
 * rather than with dotted queries into the untyped node array, which FerretDB v1 does not answer the same
 * way MongoDB does.
 */
export async function knownReferences() {
  const [prompts, queues, schedules] = await Promise.all([
    Prompt.find().select('name').lean(),
    Queue.find().select('name').lean(),
    BusinessHours.find().select('name').lean(),
  ]);
  return {
    prompts: new Set(prompts.map((p) => p.name)),
    queues: new Set(queues.map((q) => q.name)),
    schedules: new Set(schedules.map((s) => s.name)),
  };
}

function uses(node: FlowNode, kind: 'queue' | 'prompt' | 'schedule', name: string): boolean {
  switch (kind) {
    case 'queue':
      return queueOf(node)?.name === name;
    case 'prompt':
      return promptsOf(node).some((p) => p.name === name);
    case 'schedule':
      return node.type === 'hours' && node.schedule === name;
  }
}

/** Names of the flows that use a queue, a prompt or a business-hours schedule. */
export async function flowsUsing(kind: 'queue' | 'prompt' | 'schedule', name: string): Promise<string[]> {
  const flows = await IvrFlow.find().select('name nodes').lean();
  return flows.filter((f) => (f.nodes as FlowNode[]).some((n) => uses(n, kind, name))).map((f) => f.name);
}

export async function queuesUsingPrompt(name: string): Promise<string[]> {
  const queues = await Queue.find({ $or: [{ 'media.music': name }, { 'media.video': name }] })
    .select('name')
    .sort({ name: 1 })
    .lean();
  return queues.map((q) => q.name);
}
