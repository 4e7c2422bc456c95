import type { Bus } from '../../lib/bus/bus';
import { EXCHANGES, queues, routingKeys } from '../../lib/bus/topology';
import type { FlowSource } from './flow-source';
import type { HoursSource } from './hours-source';
import type { IvrService } from './service';

/**
 * CTI's commands to this IVR instance (S222-S223): queue position and wait, and the queue timeout;
 * and SoftACD's hand-over requests (S226), sent to every IVR instance.
 * Acknowledged once the machine has applied them; any other type is refused to the dead-letter queue.
 */
export async function consumeCommands(bus: Bus, instanceId: string, svc: IvrService): Promise<void> {
  await bus.consume({
    queue: queues.ivr(instanceId),
    bindings: [
      { exchange: EXCHANGES.commands, pattern: routingKeys.ivr(instanceId) },
      { exchange: EXCHANGES.commands, pattern: routingKeys.ivrHandover },
    ],
    handle: async (message) => {
      switch (message.type) {
        case 'QueueStatus':
          await svc.command(message.contactId, {
            type: 'queueStatus',
            position: message.position,
            expectedWaitSec: message.expectedWaitSec,
          });
          return;
        case 'QueueTimeout':
          await svc.command(message.contactId, { type: 'queueTimeout', action: message.action });
          return;
        case 'QueueClosed':
          await svc.command(
            message.contactId,
            message.action === 'prompt'
              ? { type: 'queueClosed', action: 'prompt', prompt: message.prompt ?? '' }
              : { type: 'queueClosed', action: 'voicemail', prompt: message.prompt ?? null },
          );
          return;
        case 'ReleaseIvr':
          await svc.handOver(message.channelId, message.app, message.appArgs);
          return;
        default:
          throw new Error(`the IVR does not handle ${message.type}`);
      }
    },
  });
}

/**
 * The AS changed an IVR flow or a business-hours schedule (ConfigChanged of entity `ivrflow`, `hours`):
 * that cache is dropped, so the next call reads them as they are now. An exclusive queue: a stopped IVR
 * has no cache to invalidate.
 */
export async function consumeFlowChanges(
  bus: Bus,
  instanceId: string,
  flows: FlowSource,
  hours: HoursSource,
): Promise<void> {
  await bus.consume({
    queue: queues.ivrConfig(instanceId),
    exclusive: true,
    bindings: [
      { exchange: EXCHANGES.events, pattern: routingKeys.config('ivrflow') },
      { exchange: EXCHANGES.events, pattern: routingKeys.config('hours') },
    ],
    handle: async (message) => {
      if (message.type !== 'ConfigChanged') return Promise.resolve();
      if (message.entity === 'hours') hours.clear();
      else flows.clear();
      return Promise.resolve();
    },
  });
}
