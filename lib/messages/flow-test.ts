import { z } from 'zod';
import { envelope, id } from './envelope';

/**
 * The flow editor's test call (docs/flow-editor.md, "Test call"): the AS asks a SoftACD to ring an
 * administrator's phone; once answered, the call takes the ordinary inbound path for `calledNumber`
 * (CallDelivered, RouteRequest), and a route to the IVR carries `testCallId` so the IVR runs the
 * draft the AS stored under it instead of the published flow. `contactId` is the contact the call
 * becomes. Part of the one Message union in schemas.ts.
 */
export const FlowTestCall = z
  .object({
    ...envelope,
    type: z.literal('FlowTestCall'),
    /** The AS's test-call record: the IVR asks for its draft on interface D. A UUID, never a flow id. */
    testCallId: z.uuid(),
    /** The administrator's phone, `PJSIP/<name>` (its browser softphone). */
    endpoint: z.string().regex(/^PJSIP\/[A-Za-z0-9_.-]{1,64}$/, 'PJSIP/<endpoint name>'),
    calledNumber: z.string().regex(/^\+?[0-9*#]{1,32}$/, 'digits, * or #, optionally after +'),
    /** Who asked (account id), for the logs. */
    requestedBy: id,
    ringTimeoutSec: z.number().int().min(1).max(120),
  })
  .strict();
