import { z } from 'zod';
import type { InterfaceD } from './interface-d';

const fieldAnswer = z.object({ field: z.string(), value: z.union([z.string(), z.number(), z.boolean()]) });

/** What a data step says: "Your balance is 120.5." */
export function speechText(field: string, value: string | number | boolean): string {
  return `Your ${field.replace(/[_-]+/g, ' ')} is ${String(value)}.`;
}

/**
 * The data step's I/O: one field of the caller's record from the AS (interface D), spoken with
 * text-to-speech into Asterisk's prompt directory. Null when the caller or the field is unknown.
 */
export function callerData(get: InterfaceD, speak: (text: string) => Promise<string>) {
  return async (callingNumber: string, field: string): Promise<string | null> => {
    if (callingNumber === '') return null;
    const raw = await get(
      `/ivr/callers/${encodeURIComponent(callingNumber)}/data/${encodeURIComponent(field)}`,
    );
    if (raw === undefined) return null;
    const answer = fieldAnswer.parse(raw);
    return speak(speechText(field, answer.value));
  };
}
