import { z } from 'zod';
import { media as mediaSchema } from '../../lib/messages';

/**
 * What a restarted IVR needs to take a caller back: kept on the caller's channel in Asterisk (the
 * variable `IPCC_IVR`), because Asterisk keeps the channel in the `ivr` app while no IVR process runs
 * but tells a new one nothing about it. Written when the call enters the IVR and when it joins a
 * queue; cleared when the caller is handed over to an agent.
 */
export const IVR_TAG = 'IPCC_IVR';

const IvrTag = z.object({
  contactId: z.string().min(1),
  calledNumber: z.string(),
  media: mediaSchema,
  /** The Stasis arguments after the first three (`queue,<id>` or `flow,<key>`). */
  extra: z.array(z.string()),
  /** Set once the caller waits in this queue: CTI holds its place, only the queue media is lost. */
  queue: z.string().optional(),
});
export type IvrTag = z.infer<typeof IvrTag>;

export const encodeIvrTag = (tag: IvrTag): string => JSON.stringify(tag);

/** The tag read back; undefined for an empty or foreign value (the caller is then not adopted). */
export function decodeIvrTag(value: string | undefined): IvrTag | undefined {
  if (value === undefined || value === '') return undefined;
  try {
    const parsed = IvrTag.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
