import { NotFoundError, ForbiddenError } from '../../errors';
import type { Caller } from '../../http/credentials';
import { seesAllContacts } from '../../http/credentials';
import { Interaction, type InteractionData } from '../../models';

export type InteractionRecord = InteractionData & { _id: string };

/**
 * The single place the ownership rule lives: an agent reaches a contact only when it was offered to it
 * (`agentId` is the agent's id); supervisors and administrators reach every contact.
 */
export async function loadVisibleInteraction(id: string, caller: Caller): Promise<InteractionRecord> {
  const interaction = await Interaction.findById(id).lean<InteractionRecord>();
  if (!interaction) throw new NotFoundError('contact');
  assertVisible(interaction, caller);
  return interaction;
}

export function assertVisible(interaction: { agentId?: string | null }, caller: Caller): void {
  if (!seesAllContacts(caller) && interaction.agentId !== caller.id) {
    throw new ForbiddenError('this contact was not offered to you');
  }
}

/**
 * The same rule as a store filter, for lists of contacts (a screen pop's history): an agent lists only
 * the contacts offered to it, whatever customer, number or address the list is built from.
 */
export function visibleContactsFilter(caller: Caller): { agentId?: string } {
  return seesAllContacts(caller) ? {} : { agentId: caller.id };
}

/** An agent reaches a customer only through a contact offered to it that is linked to that customer. */
export async function assertCustomerVisible(customerId: string, caller: Caller): Promise<void> {
  if (seesAllContacts(caller)) return;
  const linked = await Interaction.exists({ agentId: caller.id, customerId });
  if (!linked) throw new ForbiddenError('this customer is not linked to a contact offered to you');
}

/** What the history list shows: no notes, recording or timeline (those need the contact itself). */
export const SUMMARY_FIELDS =
  'channel direction from to queueId agentId customerId state createdAt answeredAt endedAt abandoned disposition';
