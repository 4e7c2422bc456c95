import type { FlowGraph } from '../../lib/flow/flow';
import type { ClosedAction } from '../../lib/hours/closed-route';
import { isOpen } from '../../lib/hours/schedule';
import { queueFlow } from './fallback-flows';
import type { LoadedSchedule } from './hours-source';

/**
 * A called number gated by a business-hours schedule: while it is closed the caller gets the schedule's
 * closed action instead of the number's flow, as a one-node flow the machine runs like any other.
 */
export function closedFlow(action: ClosedAction): FlowGraph {
  switch (action.kind) {
    case 'prompt':
      return { entry: 'closed', nodes: [{ id: 'closed', type: 'hangup', prompt: action.prompt }] };
    case 'voicemail':
      return {
        entry: 'closed',
        nodes: [
          { id: 'closed', type: 'voicemail', ...(action.prompt !== undefined && { prompt: action.prompt }) },
        ],
      };
    case 'queue':
      // CTI applies that queue's own schedule when the caller asks for it.
      return queueFlow(action.queue);
  }
}

/** The closed action due now for a number's schedule; null when it has none or it is open. */
export function closedActionNow(loaded: LoadedSchedule | null, at: Date): ClosedAction | null {
  if (loaded === null || isOpen(loaded.schedule, at)) return null;
  const { kind, prompt, queue } = loaded.closedAction;
  if (kind === 'queue' && queue !== undefined) return { kind, queue };
  if (kind === 'prompt' && prompt !== undefined) return { kind, prompt };
  return prompt !== undefined ? { kind: 'voicemail', prompt } : { kind: 'voicemail' };
}
