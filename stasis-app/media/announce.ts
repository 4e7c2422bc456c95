/**
 * Queue announcements composed from the number-word prompts in the manifest (`num-0` ... `num-20`,
 * `num-30` ... `num-90`, `num-hundred`), so the IVR plays a list of prompt names in order and needs
 * no Asterisk core sound package. Pure functions: no I/O.
 */

export const MAX_SAYABLE = 999;

/** Prompt names that speak a whole number from 0 to 999 ("two hundred thirty five"). */
export function numberPrompts(value: number): string[] {
  if (!Number.isInteger(value) || value < 0 || value > MAX_SAYABLE) {
    throw new RangeError(`can say integers from 0 to ${MAX_SAYABLE}, got ${value}`);
  }
  if (value === 0) return ['num-0'];
  const names: string[] = [];
  const hundreds = Math.floor(value / 100);
  let rest = value % 100;
  if (hundreds > 0) names.push(`num-${hundreds}`, 'num-hundred');
  if (rest > 20) {
    const tens = rest - (rest % 10);
    names.push(`num-${tens}`);
    rest %= 10;
  }
  if (rest > 0) names.push(`num-${rest}`);
  return names;
}

/** "You are caller number <n> in the queue." */
export function positionAnnouncement(position: number): string[] {
  return ['queue-position', ...numberPrompts(Math.min(position, MAX_SAYABLE))];
}

/** "Your expected wait is about <n> minute(s)." or "... less than one minute." */
export function waitAnnouncement(waitSeconds: number): string[] {
  const minutes = Math.round(waitSeconds / 60);
  if (minutes < 1) return ['wait-under-minute'];
  const said = Math.min(minutes, MAX_SAYABLE);
  return ['wait-about', ...numberPrompts(said), said === 1 ? 'minute' : 'minutes'];
}

/** Every number-word prompt numberPrompts can return, for checking a manifest against it. */
export function numberWordNames(): string[] {
  const names = ['num-hundred'];
  for (let n = 0; n <= 20; n += 1) names.push(`num-${n}`);
  for (let n = 30; n <= 90; n += 10) names.push(`num-${n}`);
  return names;
}
