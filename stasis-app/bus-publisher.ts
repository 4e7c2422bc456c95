import { Bus } from '../lib/bus/bus';
import { EXCHANGES, routingKeys } from '../lib/bus/topology';
import { Draft, MessageType, Source, makeMessage } from '../lib/messages';

/** Turns a draft into a full message from this process and publishes it as a call event for CTI. */
export function eventEmitter(bus: Bus, source: Source) {
  return async <T extends MessageType>(draft: Draft<T>): Promise<void> => {
    const message = makeMessage(source, draft);
    await bus.publish(EXCHANGES.events, routingKeys.event(message.type), message);
  };
}
