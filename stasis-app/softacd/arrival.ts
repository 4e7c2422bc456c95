import { randomUUID } from 'node:crypto';
import { type Logger, contactLogger } from '../../lib/log';
import type { Media, MessageOf } from '../../lib/messages';
import { verdict } from './call-guards';
import type { Call } from './call-registry';
import type { CallContext } from './call-context';
import { type IncomingChannel, encodeTag } from './call-tag';

/** A call enters SoftACD (S201-S204) and CTI routes it (S205/S208): to the IVR, a queue or a release. */

/** S201-S204: a new call entered Stasis(softacd). */
export async function callArrived(ctx: CallContext, incoming: IncomingChannel): Promise<void> {
  const contactId = incoming.flowTest?.contactId ?? randomUUID();
  const log = contactLogger(ctx.ports.log, contactId);
  const { channels } = ctx.ports;
  const tag = (known: Media) => channels.tag(incoming.channelId, encodeTag(contactId, incoming, known));
  // Media the dialplan passed needs no ARI read: the tag then goes out with the follow, one round trip.
  const [media, followed, taggedAtOnce] = await Promise.all([
    incoming.media ?? channels.media(incoming.channelId),
    channels.follow(ctx.ports.softacdApp, incoming.channelId),
    incoming.media === undefined ? undefined : tag(incoming.media),
  ]);
  const tagged = taggedAtOnce ?? (media !== undefined && (await tag(media)));
  if (media === undefined || !followed || !tagged) {
    log.info('caller left before the call was reported', { channelId: incoming.channelId });
    return;
  }
  const call: Call = {
    contactId,
    channelId: incoming.channelId,
    calledNumber: incoming.calledNumber,
    callingNumber: incoming.callingNumber,
    media,
    state: 'routing',
    createdAt: Date.now(),
    ...(incoming.flowTest === undefined ? {} : { flowTestCallId: incoming.flowTest.testCallId }),
  };
  ctx.calls.add(call);
  log.info('call delivered', { channelId: call.channelId, calledNumber: call.calledNumber, media });
  // Both published at once: the channel keeps their order, and RouteRequest need not wait for the
  // broker's confirm of CallDelivered (one round trip less before the call is routed).
  await ctx.serial.run(contactId, async () => {
    const delivered = ctx.ports.emit<'CallDelivered'>({
      type: 'CallDelivered',
      contactId,
      callingNumber: incoming.callingNumber,
      callingName: incoming.callingName,
      calledNumber: incoming.calledNumber,
      media,
      channelId: incoming.channelId,
      deliveredTo: { kind: 'acd', instance: ctx.ports.instanceId },
    });
    const requested = ctx.ports.emit<'RouteRequest'>({
      type: 'RouteRequest',
      contactId,
      calledNumber: incoming.calledNumber,
      callingNumber: incoming.callingNumber,
      media,
    });
    await Promise.all([delivered, requested]);
  });
}

/** A caller whose arrival could not be reported is hung up and forgotten, never left in Stasis. */
export async function releaseUnreported(ctx: CallContext, channelId: string): Promise<void> {
  const call = ctx.calls.byChannelId(channelId);
  if (call !== undefined) call.releasedBy = 'system';
  await ctx.ports.channels.hangup(channelId);
}

/** S205/S208: CTI chose a route. */
export function routeSelect(ctx: CallContext, command: MessageOf<'RouteSelect'>): Promise<void> {
  return ctx.serial.run(command.contactId, async () => {
    const call = ctx.calls.byContactId(command.contactId);
    const log = contactLogger(ctx.ports.log, command.contactId);
    const seen = verdict('RouteSelect', call);
    if (call === undefined || seen === 'gone') {
      log.info('route select for a call already gone');
      return;
    }
    if (seen === 'movedOn') {
      log.info('route select for a call already routed: ignored', { state: call.state });
      return;
    }
    const dest = command.destination;
    if (dest.kind === 'release') {
      call.releasedBy = 'system';
      await ctx.ports.channels.hangup(call.channelId);
      await routeEnd(ctx, call, 'routed');
      return;
    }
    if (dest.kind === 'queue') {
      // Queueing is done by the IVR (queue media, announcements); the call goes there with its queue.
      await toIvr(ctx, call, log, ['queue', dest.queueId]);
      return;
    }
    // Only SoftACD writes the IVR's arguments: a caller cannot ask for a draft (test-call.ts).
    const extra =
      call.flowTestCallId !== undefined
        ? ['draft', call.flowTestCallId]
        : dest.flow === undefined
          ? []
          : ['flow', dest.flow];
    await toIvr(ctx, call, log, extra);
  });
}

async function toIvr(ctx: CallContext, call: Call, log: Logger, extra: string[]): Promise<void> {
  const moved = await ctx.ports.channels.move(call.channelId, ctx.ports.ivrApp, [
    call.contactId,
    call.calledNumber,
    call.media,
    ...extra,
  ]);
  if (!moved) {
    log.info('caller left before the move to the IVR');
    await routeEnd(ctx, call, 'failed', 'caller gone');
    return;
  }
  ctx.calls.apply(call, 'routedToIvr');
  await routeEnd(ctx, call, 'routed');
}

function routeEnd(
  ctx: CallContext,
  call: Call,
  outcome: 'routed' | 'failed',
  reason?: string,
): Promise<void> {
  return ctx.ports.emit<'RouteEnd'>({
    type: 'RouteEnd',
    contactId: call.contactId,
    outcome,
    ...(reason === undefined ? {} : { reason }),
  });
}
