import type { Bus } from '../../lib/bus/bus';
import { EXCHANGES, routingKeys } from '../../lib/bus/topology';
import type { Logger } from '../../lib/log';
import type { SmsStore } from './store';

/** ISAG's durable queue of completed tasks (an SMS conversation closes with its task). */
export const SMS_COMPLETED_QUEUE = 'cc.isag.sms-completed';

/**
 * Consumes CTI's TaskCompleted: the SMS interaction is ended, so the customer's next message opens a
 * new one. Durable, so a completion published while ISAG is down is applied when it comes back. Other
 * channels' completions find no SMS interaction and change nothing.
 */
export async function consumeCompletions(bus: Bus, store: Pick<SmsStore, 'endConversation'>, log: Logger) {
  await bus.consume({
    queue: SMS_COMPLETED_QUEUE,
    bindings: [{ exchange: EXCHANGES.tasks, pattern: routingKeys.task('completed') }],
    prefetch: 20,
    handle: async (message) => {
      if (message.type !== 'TaskCompleted') {
        log.warn('sms: unexpected message on the completions queue', { type: message.type });
        return;
      }
      if (await store.endConversation(message.contactId, new Date(message.at)))
        log.info('sms conversation closed', { contactId: message.contactId, agentId: message.agentId });
    },
  });
}
