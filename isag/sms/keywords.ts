/**
 * Opt-out keywords. A message is a keyword only when it is that word alone (any case, surrounding blanks
 * and trailing punctuation ignored): "stop the delivery on Monday" is a message for an agent, not an
 * opt-out. The list is the one carriers and providers honour for SMS (CTIA's STOP family).
 */
export type KeywordKind = 'stop' | 'start';

export interface Keyword {
  kind: KeywordKind;
  /** The word as recognised, upper case (recorded in smsOptOuts). */
  word: string;
}

const WORDS = new Map<string, KeywordKind>([
  ['STOP', 'stop'],
  ['STOPALL', 'stop'],
  ['UNSUBSCRIBE', 'stop'],
  ['CANCEL', 'stop'],
  ['END', 'stop'],
  ['QUIT', 'stop'],
  ['START', 'start'],
]);

export function parseKeyword(text: string): Keyword | undefined {
  const word = text
    .trim()
    .replace(/[.!?]+$/u, '')
    .trim()
    .toUpperCase();
  const kind = WORDS.get(word);
  return kind === undefined ? undefined : { kind, word };
}
