import type { Bus } from '../../lib/bus/bus';
import { EXCHANGES, queues, routingKeys } from '../../lib/bus/topology';
import type { FlowSource } from './flow-source';
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
 * The AS changed an IVR flow (ConfigChanged of entity `ivrflow`): the flow cache is dropped, so the next
 * call reads the flows as they are now. An exclusive queue: a stopped IVR has no cache to invalidate.
 */
export async function consumeFlowChanges(bus: Bus, instanceId: string, flows: FlowSource): Promise<void> {
  await bus.consume({
    queue: queues.ivrConfig(instanceId),
    exclusive: true,
    bindings: [{ exchange: EXCHANGES.events, pattern: routingKeys.config('ivrflow') }],
    handle: async (message) => {
      if (message.type === 'ConfigChanged') flows.clear();
      return Promise.resolve();
    },
  });
}
