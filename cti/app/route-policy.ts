import type { MessageOf } from '../../lib/messages';

export type RouteDestination = MessageOf<'RouteSelect'>['destination'];

/**
 * S205: the first route of every call. Called numbers with an IVR flow go to the IVR; the flow is
 * chosen by the IVR from the called number. Numbers routed straight to a queue skip the menus.
 */
export function firstRoute(
  calledNumber: string,
  directQueues: ReadonlyMap<string, string>,
): RouteDestination {
  const queueId = directQueues.get(calledNumber);
  return queueId === undefined ? { kind: 'ivr' } : { kind: 'queue', queueId };
}
