import { KeyedSerial } from '../../../lib/keyed-serial';
import type { Logger } from '../../../lib/log';
import { writeUntilSeen } from '../../../lib/until-seen';
import { Interaction } from '../../models';
import type { InteractionRecord } from './access';

/**
 * The AS's writes of one interaction, one at a time: on FerretDB v1 two of them at once would overwrite
 * each other (lib/until-seen.ts), and one AS process is the only writer it can order. Idle keys are
 * dropped, so the map holds only contacts with a write in flight.
 */
const serial = new KeyedSerial();

/**
 * An agent's write of an interaction: after the AS's earlier writes of it, read back once CTI's and
 * ISAG's concurrent updates had time to land, and applied again while one of them overwrote it.
 */
export async function writeInteraction(
  id: string,
  what: string,
  write: () => PromiseLike<unknown>,
  seen: (doc: InteractionRecord) => boolean,
  log?: Logger,
): Promise<void> {
  const attempts = await serial.run(id, () =>
    writeUntilSeen(
      async () => {
        await write();
      },
      async () => {
        const doc = await Interaction.findById(id).lean<InteractionRecord>();
        return doc !== null && seen(doc);
      },
    ),
  );
  if (attempts > 1)
    log?.warn('interaction write overwritten by a concurrent update: applied again', {
      contactId: id,
      what,
      attempts,
    });
}
