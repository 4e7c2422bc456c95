import { NotFoundError } from '../../errors';
import type { Caller } from '../../http/credentials';
import { Agent, Interaction, type InteractionData } from '../../models';

export type ContactRecord = InteractionData & { _id: string };

/** What a caller may do with a contact's messages. */
export type MessageAccess = 'holder' | 'supervisor' | 'admin';

/**
 * Who reaches a contact's messages: the agent the contact was given to (`agentId`), an administrator,
 * and a supervisor of the contact's queue (its person record's `supervises`, read on each request like
 * the reports' scope, as/plugins/reports/scope.ts). Anyone else is told the contact does not exist (404,
 * not 403): a customer's mail must not be confirmed to exist to whoever guesses its id.
 */
export async function accessOf(contact: ContactRecord, caller: Caller): Promise<MessageAccess | null> {
  if (contact.agentId != null && contact.agentId === caller.id) return 'holder';
  if (caller.roles.includes('admin')) return 'admin';
  if (!caller.roles.includes('supervisor') || contact.queueId == null) return null;
  const person = await Agent.findById(caller.id).select('supervises').lean();
  return (person?.supervises ?? []).includes(contact.queueId) ? 'supervisor' : null;
}

/** The contact if the caller may read its messages; 404 otherwise (unknown or not the caller's). */
export async function loadReadableContact(id: string, caller: Caller): Promise<ContactRecord> {
  const contact = await Interaction.findById(id).lean<ContactRecord>();
  if (contact === null || (await accessOf(contact, caller)) === null) throw new NotFoundError('contact');
  return contact;
}
