import { type Keyword, parseKeyword } from './keywords';

/**
 * The rules of an inbound SMS before it becomes part of a conversation, as plain data: no store, no
 * bus. An opt-out keyword is recorded and confirmed once (a repeated STOP is not confirmed again);
 * START removes the opt-out and is confirmed only when there was one; every other message is routed to
 * the customer's conversation. Which interaction it joins is the core's rule (isag/core/threading.ts
 * `decideConversation`): the open one, or a new one once CTI completed the last.
 */
export type Decision =
  | { action: 'opt-out'; keyword: Keyword; confirm: boolean }
  | { action: 'opt-in'; keyword: Keyword; confirm: boolean }
  | { action: 'route' };

export interface Situation {
  text: string;
  optedOut: boolean;
}

export function decide(s: Situation): Decision {
  const keyword = parseKeyword(s.text);
  if (keyword?.kind === 'stop') return { action: 'opt-out', keyword, confirm: !s.optedOut };
  if (keyword?.kind === 'start') return { action: 'opt-in', keyword, confirm: s.optedOut };
  return { action: 'route' };
}

/** The texts sent back on an opt-out and an opt-in (configurable: ISAG_SMS_STOP_TEXT, ISAG_SMS_START_TEXT). */
export interface ConfirmationTexts {
  stop: string;
  start: string;
}
