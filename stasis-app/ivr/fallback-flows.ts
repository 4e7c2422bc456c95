import type { FlowGraph } from '../../lib/flow/flow';

/**
 * Flows the IVR builds itself, run by the same interpreter as the AS's flows: the default for a called
 * number without a flow (a prompt, then a queue or goodbye), and "straight to this queue" (RouteSelect
 * to a queue).
 */
export function defaultFlow(prompt: string, queue: string | undefined, goodbye: string): FlowGraph {
  return {
    entry: 'default-prompt',
    nodes: [
      { id: 'default-prompt', type: 'play', prompt, next: 'default-then' },
      queue === undefined
        ? { id: 'default-then', type: 'hangup', prompt: goodbye }
        : { id: 'default-then', type: 'queue', queue },
    ],
  };
}

export function queueFlow(queue: string): FlowGraph {
  return { entry: 'queue', nodes: [{ id: 'queue', type: 'queue', queue }] };
}
