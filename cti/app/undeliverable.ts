import type { CtiDomain, Outcome, Result } from '../domain';

/**
 * Why an offer cannot reach the agent: CTI knows no SoftACD holding the contact's call (the call ended
 * unseen, or never reached CTI: a late AgentRequest after the caller hung up), or the agent has no phone.
 */
export type Undeliverable = 'call-unknown' | 'no-phone';

/** The not-ready reason of an agent offered a call it has no phone for. */
export const NO_PHONE = 'no-phone';

/**
 * Takes back an offer CTI cannot deliver. It is never counted against the agent as a missed call:
 * - `call-unknown`: the contact is dropped (the domain's abandon: the agent is Ready again at once, as
 *   when a caller hangs up during an offer, and may be offered the next contact); the caller cleared as
 *   system-cleared by the adapter. Handled as a ring-no-answer, every Ready agent was made not-ready in
 *   turn by the same dead contact (issue 10: 600 agents after a restart).
 * - `no-phone`: the contact goes back to the head of its queue and the agent not-ready `no-phone`: a
 *   configuration to fix, not a missed call; left Ready it would be offered the same contact at once.
 */
export function withdrawOffer(domain: CtiDomain, contactId: string, why: Undeliverable): Result<Outcome> {
  return why === 'call-unknown'
    ? domain.contactAbandoned(contactId)
    : domain.ringNoAnswer(contactId, NO_PHONE);
}
