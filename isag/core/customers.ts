import type { TaskChannel } from './types';

/**
 * Which customer field a sender's address is looked up in: e-mail addresses (stored lower-cased) in
 * `emails`, numbers in E.164 in `phones`. Anything else matches nobody.
 */
export function customerLookup(
  channel: TaskChannel,
  from: string,
): { field: 'emails' | 'phones'; value: string } | undefined {
  const value = from.trim();
  if (channel === 'email') {
    const lower = value.toLowerCase();
    return /^[^\s@]+@[^\s@]+$/.test(lower) && lower.length <= 254
      ? { field: 'emails', value: lower }
      : undefined;
  }
  const number = value.replace(/[\s().-]/g, '');
  return /^\+[1-9][0-9]{6,14}$/.test(number) ? { field: 'phones', value: number } : undefined;
}

/**
 * The customer a new interaction belongs to: the one customer with that address. Two or more are left
 * to the agent (the screen pop offers them as candidates), as the AS does for calls.
 */
export function pickCustomer(ids: readonly string[]): string | undefined {
  return ids.length === 1 ? ids[0] : undefined;
}
