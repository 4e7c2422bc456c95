import amqplib from 'amqplib';
import { EXCHANGES, routingKeys } from '../../lib/bus/topology';
import { type Draft, type MessageType, makeMessage } from '../../lib/messages';
import { amqpUrl } from './servers';

/**
 * Publishes a command to a SoftACD as CTI would (`cc.commands`, key `softacd.<instance>`), for suites
 * that drive SoftACD where CTI's side is not what they test. Resolves once the broker confirmed it.
 */
export async function publishCommand<T extends MessageType>(
  draft: Draft<T>,
  instance = process.env.SOFTACD_ID ?? 'softacd-1',
): Promise<void> {
  const conn = await amqplib.connect(amqpUrl());
  try {
    const ch = await conn.createConfirmChannel();
    const message = makeMessage({ service: 'cti', instance: 'spec' }, draft);
    ch.publish(EXCHANGES.commands, routingKeys.softacd(instance), Buffer.from(JSON.stringify(message)), {
      persistent: true,
    });
    await ch.waitForConfirms();
  } finally {
    await conn.close();
  }
}
