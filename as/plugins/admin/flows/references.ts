import type { FlowNode } from '../../../../lib/flow/flow';
import { IvrFlow, Prompt, Queue } from '../../../models';

/**
 * Reference lookups between flows, prompts and queues. Done in code over all flows (a tenant has a handful)
 * rather than with dotted queries into the untyped node array, which FerretDB v1 does not answer the same
 * way MongoDB does.
 */
export async function knownReferences() {
  const [prompts, queues] = await Promise.all([
    Prompt.find().select('name').lean(),
    Queue.find().select('name').lean(),
  ]);
  return { prompts: new Set(prompts.map((p) => p.name)), queues: new Set(queues.map((q) => q.name)) };
}

function promptNames(node: FlowNode): string[] {
  const names: (string | undefined)[] = [];
  if (node.type === 'menu') names.push(node.prompt, node.invalidPrompt, node.noInputPrompt);
  else if (node.type !== 'queue') names.push(node.prompt);
  return names.filter((n): n is string => n !== undefined);
}

/** Names of the flows that use a queue or a prompt. */
export async function flowsUsing(kind: 'queue' | 'prompt', name: string): Promise<string[]> {
  const flows = await IvrFlow.find().select('name nodes').lean();
  return flows
    .filter((f) =>
      (f.nodes as FlowNode[]).some((n) =>
        kind === 'queue' ? n.type === 'queue' && n.queue === name : promptNames(n).includes(name),
      ),
    )
    .map((f) => f.name);
}

export async function queuesUsingPrompt(name: string): Promise<string[]> {
  const queues = await Queue.find({ $or: [{ 'media.music': name }, { 'media.video': name }] })
    .select('name')
    .sort({ name: 1 })
    .lean();
  return queues.map((q) => q.name);
}
