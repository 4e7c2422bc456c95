import { z } from 'zod';
import { envelope, id } from './envelope';

/**
 * An administrator changed the directory (AS outbox, as/outbox/): `entity` `entityId` was created, updated
 * or deleted. It names the change: consumers with store access re-read the current record, so a repeated
 * or late event is harmless. `contactId` is `config:<entity>:<entityId>`.
 */
export const ConfigChanged = z
  .object({
    ...envelope,
    type: z.literal('ConfigChanged'),
    entity: z.enum(['agent', 'queue', 'ivrflow', 'reason', 'hours']),
    entityId: id,
    action: z.enum(['create', 'update', 'delete']),
    /**
     * For `agent`: every active person's phone endpoints as the AS lists them when it publishes (SoftACD
     * writes Asterisk's PJSIP endpoints from it: it has no store access). Passwords are never sent.
     */
    endpoints: z
      .array(
        z
          .object({
            // The AS's own patterns: these go into Asterisk's configuration, so nothing else may pass.
            login: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'an agent login'),
            sip: z
              .string()
              .regex(/^PJSIP\/[A-Za-z0-9_.-]{1,64}$/, 'a PJSIP endpoint')
              .optional(),
            webrtc: z
              .string()
              .regex(/^PJSIP\/[A-Za-z0-9_.-]{1,64}$/, 'a PJSIP endpoint')
              .optional(),
          })
          .strict(),
      )
      .max(100_000)
      .optional(),
  })
  .strict();
