import { randomUUID } from 'node:crypto';
import { KeyedSerial } from '../../lib/keyed-serial';
import { Logger, contactLogger } from '../../lib/log';
import type { Draft, Media, MessageOf, MessageType } from '../../lib/messages';
import type { CallMediaControl } from '../ari/call-media';
import { AGENT_TAG, CALL_TAG, ChannelControl } from '../ari/channels';
import { Call, CallRegistry } from './call-registry';

export interface SoftAcdPorts {
  channels: ChannelControl;
  /** Publishes an event to CTI; resolves once the broker confirmed it. */
  emit: <T extends MessageType>(draft: Draft<T>) => Promise<void>;
  log: Logger;
  instanceId: string;
  ivrApp: string;
  softacdApp: string;
  /** Asks the IVR holding a channel to hand it over (ReleaseIvr on the IVRs' handover key). */
  releaseIvr: (draft: Draft<'ReleaseIvr'>) => Promise<void>;
  /** How long the IVR may take to hand a caller over before SoftACD moves the channel itself. */
  handoverTimeoutMs?: number;
  callMedia: CallMediaControl;
  /** Music-on-hold class for audio callers on hold (asterisk/etc/musiconhold.conf). */
  mohClass?: string;
  /** What a video caller on hold sees and hears: a prompt with audio and a still video card, looped. */
  videoHoldMedia?: string;
  /** Asterisk's recording directory (astspooldir/recording), reported with each recording's metadata. */
  recordingDir?: string;
}

/** A bridge recording in progress, by its name, until RecordingFinished (or the sweep) removes it. */
interface ActiveRecording {
  contactId: string;
  format: string;
  startedAt: number;
}

/** A video hold prompt is about 10 s: this many repeats cover a long hold in one playback. */
const VIDEO_HOLD_REPEATS = 90;

export interface LiveChannel {
  id: string;
  callingNumber: string;
  /** The IPCC_CALL variable: set on callers by callArrived. */
  tag?: string;
  /** The IPCC_AGENT variable: set on agent legs at originate. */
  agentId?: string;
}

export interface LiveBridge {
  id: string;
  channels: string[];
}

/** contactId|media|calledNumber: the called number last, since it is the only free-form part. */
export function encodeTag(contactId: string, incoming: IncomingChannel, media: Media): string {
  return `${contactId}|${media}|${incoming.calledNumber}`;
}

export function decodeTag(
  tag: string,
): { contactId: string; media: Media; calledNumber: string } | undefined {
  const [contactId, media, ...rest] = tag.split('|');
  if (contactId === undefined || contactId === '' || (media !== 'audio' && media !== 'audio+video'))
    return undefined;
  return { contactId, media, calledNumber: rest.join('|') };
}

function snoopId(call: Call): string {
  return `${call.contactId}-snoop`;
}

function holdPlaybackId(call: Call): string {
  return `${call.contactId}-hold`;
}

function ringbackId(call: Call): string {
  return `${call.contactId}-ringback`;
}

/** Q.850 cause of a leg that ended before answering, as the messages name it. */
function unansweredReason(cause: number): 'busy' | 'no-answer' | 'unreachable' {
  return cause === 17 ? 'busy' : cause === 19 || cause === 16 ? 'no-answer' : 'unreachable';
}

/**
 * Caller name and number as SIP delivered them, minus control characters (a NUL cannot be stored, the
 * others only break displays and logs) and cut to the length the messages allow.
 */
export function callerText(raw: string): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  return raw.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 256);
}

/**
 * A feature kept in a module of its own (take-back, desk-phone dial-out) looks at a leg that went before
 * the release path does; `true` means it handled the leg and the call goes on.
 */
export type LegGoneHook = (
  call: Call,
  channelId: string,
  cause: number,
  channelName: string | undefined,
) => Promise<boolean>;

export interface IncomingChannel {
  channelId: string;
  callingNumber: string;
  callingName: string;
  calledNumber: string;
  /** The media decision when the dialplan passed it (`arrivalMedia`); otherwise read over ARI. */
  media?: Media;
}

/**
 * SoftACD's call control (patent steps S201-S241): reports calls to CTI and carries out its routing
 * commands. Knows ARI and RabbitMQ only through the ports it is given.
 */
export class SoftAcdService {
  readonly calls = new CallRegistry();
  readonly recordings = new Map<string, ActiveRecording>();
  /** One change at a time per call; shared with the feature modules that act on the same calls. */
  readonly serial = new KeyedSerial();
  readonly legGoneHooks: LegGoneHook[] = [];

  constructor(private readonly ports: SoftAcdPorts) {}

  /** S201-S204: a new call entered Stasis(softacd). */
  async callArrived(incoming: IncomingChannel): Promise<void> {
    const contactId = randomUUID();
    const log = contactLogger(this.ports.log, contactId);
    const { channels } = this.ports;
    const tag = (known: Media) => channels.tag(incoming.channelId, encodeTag(contactId, incoming, known));
    // Media the dialplan passed needs no ARI read: the tag then goes out with the follow, one round trip.
    const [media, followed, taggedAtOnce] = await Promise.all([
      incoming.media ?? channels.media(incoming.channelId),
      channels.follow(this.ports.softacdApp, incoming.channelId),
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
    };
    this.calls.add(call);
    log.info('call delivered', { channelId: call.channelId, calledNumber: call.calledNumber, media });
    // Both published at once: the channel keeps their order, and RouteRequest need not wait for the
    // broker's confirm of CallDelivered (one round trip less before the call is routed).
    await this.serial.run(contactId, async () => {
      const delivered = this.ports.emit<'CallDelivered'>({
        type: 'CallDelivered',
        contactId,
        callingNumber: incoming.callingNumber,
        callingName: incoming.callingName,
        calledNumber: incoming.calledNumber,
        media,
        channelId: incoming.channelId,
        deliveredTo: { kind: 'acd', instance: this.ports.instanceId },
      });
      const requested = this.ports.emit<'RouteRequest'>({
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
  async releaseUnreported(channelId: string): Promise<void> {
    const call = this.calls.byChannelId(channelId);
    if (call !== undefined) call.releasedBy = 'system';
    await this.ports.channels.hangup(channelId);
  }

  /** S205/S208: CTI chose a route. */
  routeSelect(command: MessageOf<'RouteSelect'>): Promise<void> {
    return this.serial.run(command.contactId, async () => {
      const call = this.calls.byContactId(command.contactId);
      const log = contactLogger(this.ports.log, command.contactId);
      if (call === undefined || call.state === 'cleared') {
        log.info('route select for a call already gone');
        return;
      }
      if (call.state !== 'routing') {
        // Sent again by a CTI that restarted before it recorded the first one: the call moved on already.
        log.info('route select for a call already routed: ignored', { state: call.state });
        return;
      }
      const dest = command.destination;
      if (dest.kind === 'release') {
        call.releasedBy = 'system';
        await this.ports.channels.hangup(call.channelId);
        await this.routeEnd(call, 'routed');
        return;
      }
      if (dest.kind === 'queue') {
        // Queueing is done by the IVR (queue media, announcements); the call goes there with its queue.
        await this.toIvr(call, log, ['queue', dest.queueId]);
        return;
      }
      await this.toIvr(call, log, dest.flow === undefined ? [] : ['flow', dest.flow]);
    });
  }

  private async toIvr(call: Call, log: Logger, extra: string[]): Promise<void> {
    const moved = await this.ports.channels.move(call.channelId, this.ports.ivrApp, [
      call.contactId,
      call.calledNumber,
      call.media,
      ...extra,
    ]);
    if (!moved) {
      log.info('caller left before the move to the IVR');
      await this.routeEnd(call, 'failed', 'caller gone');
      return;
    }
    this.calls.apply(call, 'routedToIvr');
    await this.routeEnd(call, 'routed');
  }

  private routeEnd(call: Call, outcome: 'routed' | 'failed', reason?: string): Promise<void> {
    return this.ports.emit<'RouteEnd'>({
      type: 'RouteEnd',
      contactId: call.contactId,
      outcome,
      ...(reason === undefined ? {} : { reason }),
    });
  }

  /**
   * S224-S230: CTI chose an agent. The caller stays in the IVR hearing queue media while the agent's
   * phone rings; only an answered agent takes the caller out of the IVR, so a no-answer costs nothing.
   */
  divertCall(command: MessageOf<'DivertCall'>): Promise<void> {
    return this.serial.run(command.contactId, async () => {
      const call = this.calls.byContactId(command.contactId);
      const log = contactLogger(this.ports.log, command.contactId);
      if (call === undefined || call.state === 'cleared') {
        log.info('divert for a call already gone');
        await this.divertFailed(command.contactId, command.agentId, 'caller-gone');
        return;
      }
      if (call.state === 'ringing' && call.agentChannelId !== undefined) {
        // CTI moved on (its ring timer fired first): the previous agent's phone stops ringing.
        const previous = call.agentChannelId;
        this.calls.detachAgentLeg(call);
        await this.ports.channels.hangup(previous);
      } else {
        this.calls.apply(call, 'divert');
      }
      await this.ringAgent(call, command, {
        kind: 'agent',
        stamp: Date.now().toString(36),
        undo: (ringing) => {
          this.calls.detachAgentLeg(ringing);
          this.calls.apply(ringing, 'agentNoAnswer');
        },
        rung: 'diverted to agent',
      });
    });
  }

  /**
   * S231: the agent's phone rings: a routed offer's agent, a transfer's target agent or a consulted agent
   * (CTI follows each one's agent state: ringing). Outside numbers are not agents: nothing to report.
   */
  agentRinging(channelId: string): Promise<void> {
    const call = this.calls.byChannelId(channelId);
    if (call === undefined) return Promise.resolve();
    const consulted = call.consult?.channelId === channelId ? call.consult.target : undefined;
    const agentId =
      consulted !== undefined
        ? consulted.kind === 'agent'
          ? consulted.agentId
          : undefined
        : call.agentChannelId === channelId && call.agentId !== ''
          ? call.agentId
          : undefined;
    if (agentId === undefined) return Promise.resolve();
    return this.serial.run(call.contactId, () =>
      this.ports.emit<'CallDelivered'>({
        type: 'CallDelivered',
        contactId: call.contactId,
        callingNumber: call.callingNumber,
        callingName: '',
        calledNumber: call.calledNumber,
        media: call.media,
        channelId,
        deliveredTo: { kind: 'agent', agentId },
      }),
    );
  }

  /** S234-S236: the agent answered (its channel entered Stasis); the caller leaves the IVR for the bridge. */
  agentAnswered(channelId: string): Promise<void> {
    const call = this.calls.byChannelId(channelId);
    if (call === undefined || call.agentChannelId !== channelId) {
      // An agent leg this SoftACD no longer wants (superseded or the caller left): end it.
      return this.ports.channels.hangup(channelId);
    }
    return this.serial.run(call.contactId, async () => {
      if (call.state !== 'ringing') return;
      this.calls.apply(call, 'agentAnswered');
      const log = contactLogger(this.ports.log, call.contactId);
      log.info('agent answered', { agentId: call.agentId, agentChannelId: channelId });
      const appArgs = ['return', call.contactId];
      await this.ports.releaseIvr({
        type: 'ReleaseIvr',
        contactId: call.contactId,
        channelId: call.channelId,
        app: this.ports.softacdApp,
        appArgs,
      });
      // If no IVR answers (one crashed), take the caller directly; a prompt may delay it, never lose it.
      const timer = setTimeout(() => {
        void this.serial
          .run(call.contactId, async () => {
            if (call.state !== 'talking' || call.bridgeId !== undefined) return;
            log.warn('IVR did not hand the caller over; moving it directly');
            if (!(await this.ports.channels.move(call.channelId, this.ports.softacdApp, appArgs))) {
              await this.ports.channels.hangup(channelId);
            }
          })
          .catch((err: unknown) => log.error('direct move failed', { error: (err as Error).message }));
      }, this.ports.handoverTimeoutMs ?? 3000);
      timer.unref();
    });
  }

  /** The caller arrived back in SoftACD's app after an agent answered: one bridge, media both ways. */
  callerReturned(channelId: string): Promise<void> {
    const call = this.calls.byChannelId(channelId);
    if (call === undefined || call.channelId !== channelId) return Promise.resolve();
    return this.serial.run(call.contactId, async () => {
      if (call.state !== 'talking' || call.agentChannelId === undefined || call.bridgeId !== undefined)
        return;
      const bridgeId = `${call.contactId}-bridge`;
      call.bridgeId = bridgeId;
      const bridged = await this.ports.channels.bridge(bridgeId, [call.channelId, call.agentChannelId]);
      if (!bridged) return; // a leg left meanwhile; its ChannelDestroyed releases the call
      contactLogger(this.ports.log, call.contactId).info('established', { agentId: call.agentId, bridgeId });
      await this.ports.emit<'Established'>({
        type: 'Established',
        contactId: call.contactId,
        agentId: call.agentId ?? '',
        agentChannelId: call.agentChannelId,
      });
    });
  }

  /**
   * A callback reached the head of its queue (CTI chose the agent): the agent's phone is called first;
   * the customer only when the agent answered (callbackAnswered). No caller channel exists yet: the
   * customer's leg id is chosen now, so a hang-up on either side finds the call like any other.
   */
  dialCallback(command: MessageOf<'DialCallback'>): Promise<void> {
    return this.serial.run(command.contactId, async () => {
      const log = contactLogger(this.ports.log, command.contactId);
      let call = this.calls.byContactId(command.contactId);
      if (call !== undefined && call.callback === undefined) {
        // CTI waits for the asking caller's hang-up before dialling; a live call here is a bug upstream.
        log.warn('callback refused: the contact still has a call', { state: call.state });
        await this.divertFailed(command.contactId, command.agentId, 'unreachable');
        return;
      }
      if (call !== undefined && call.state === 'callbackRinging' && call.agentChannelId !== undefined) {
        // CTI moved on (its ring timer fired first): the previous agent's phone stops ringing.
        const previous = call.agentChannelId;
        this.calls.detachAgentLeg(call);
        await this.ports.channels.hangup(previous);
      } else if (call !== undefined) {
        log.warn('callback refused: the callback is already being dialled', { state: call.state });
        return;
      }
      const stamp = Date.now().toString(36);
      if (call === undefined) {
        call = {
          contactId: command.contactId,
          channelId: `${command.contactId}-customer-${stamp}`,
          calledNumber: command.number,
          callingNumber: command.number,
          media: 'audio',
          state: 'callbackRinging',
          createdAt: Date.now(),
          callback: {
            number: command.number,
            endpoint: command.customerEndpoint,
            ringTimeoutSec: command.customerRingTimeoutSec,
          },
        };
        this.calls.add(call);
      }
      await this.ringAgent(call, command, {
        kind: 'callback',
        stamp,
        undo: (dialled) => {
          this.calls.apply(dialled, 'released');
          this.calls.remove(dialled);
        },
        rung: 'callback: calling the agent',
      });
    });
  }

  /**
   * Rings the agent's phone for a call (a routed offer, or a callback's first leg) and reports
   * CallDiverted; an endpoint Asterisk cannot call is undone with `undo` and reported as DivertFailed.
   */
  private async ringAgent(
    call: Call,
    command: MessageOf<'DivertCall'> | MessageOf<'DialCallback'>,
    o: { kind: 'agent' | 'callback'; stamp: string; undo: (call: Call) => void; rung: string },
  ): Promise<void> {
    const log = contactLogger(this.ports.log, call.contactId);
    const agentChannelId = `${call.contactId}-agent-${o.stamp}`;
    this.calls.attachAgentLeg(call, agentChannelId, command.agentId);
    const callerId = presentedCallerId(command);
    try {
      await this.ports.channels.originate({
        channelId: agentChannelId,
        endpoint: command.endpoint,
        app: this.ports.softacdApp,
        args: [o.kind, call.contactId],
        timeoutSec: command.ringTimeoutSec,
        variables: { [AGENT_TAG]: command.agentId },
        ...(callerId === undefined ? {} : { callerId }),
        // A callback's customer is called after the agent: there is no caller yet to offer formats like.
        ...(o.kind === 'agent' ? this.offeredLike(call) : {}),
      });
    } catch (err) {
      log.warn('agent endpoint unreachable', { endpoint: command.endpoint, error: (err as Error).message });
      o.undo(call);
      await this.divertFailed(call.contactId, command.agentId, 'unreachable');
      return;
    }
    log.info(o.rung, { agentId: command.agentId, endpoint: command.endpoint, agentChannelId });
    await this.ports.emit<'CallDiverted'>({
      type: 'CallDiverted',
      contactId: call.contactId,
      agentId: command.agentId,
    });
  }

  /**
   * A callback leg answered (entered Stasis with `callback`). The agent: into the call's bridge with
   * ringback, CallbackDialing, and the customer is called. The customer: into the bridge, Established.
   */
  callbackAnswered(channelId: string): Promise<void> {
    const call = this.calls.byChannelId(channelId);
    if (call?.callback === undefined) return this.ports.channels.hangup(channelId);
    return this.serial.run(call.contactId, async () => {
      const cb = call.callback;
      const log = contactLogger(this.ports.log, call.contactId);
      if (cb === undefined) return;
      if (channelId === call.agentChannelId && call.state === 'callbackRinging') {
        this.calls.apply(call, 'callbackAgentAnswered');
        const bridgeId = `${call.contactId}-bridge`;
        call.bridgeId = bridgeId;
        if (!(await this.ports.channels.bridge(bridgeId, [channelId]))) return; // its ChannelDestroyed ends it
        // The agent hears ringback while the customer's phone rings (silence would sound like a fault);
        // a comfort, so a refusal is logged and the customer dialled all the same.
        await this.ports.callMedia
          .play(channelId, ringbackId(call), ['tone:ring'])
          .catch((err: unknown) => log.warn('no ringback for the agent', { error: (err as Error).message }));
        log.info('callback: agent answered, dialling the customer', { agentId: call.agentId });
        await this.ports.emit<'CallbackDialing'>({
          type: 'CallbackDialing',
          contactId: call.contactId,
          agentId: call.agentId ?? '',
          number: cb.number,
        });
        try {
          await this.ports.channels.originate({
            channelId: call.channelId,
            endpoint: cb.endpoint,
            app: this.ports.softacdApp,
            args: ['callback', call.contactId],
            timeoutSec: cb.ringTimeoutSec,
            // Tagged like an incoming caller: a restarted SoftACD takes the call back from Asterisk.
            variables: {
              [CALL_TAG]: encodeTag(
                call.contactId,
                {
                  channelId: call.channelId,
                  callingNumber: cb.number,
                  callingName: '',
                  calledNumber: cb.number,
                },
                'audio',
              ),
            },
          });
        } catch (err) {
          log.warn('customer unreachable', { endpoint: cb.endpoint, error: (err as Error).message });
          await this.callbackFailed(call, 'unreachable');
        }
        return;
      }
      if (channelId === call.channelId && call.state === 'callbackDialling' && call.bridgeId !== undefined) {
        if (call.agentChannelId !== undefined) await this.ports.callMedia.stopPlayback(ringbackId(call));
        if (!(await this.ports.callMedia.addToBridge(call.bridgeId, channelId))) return;
        this.calls.apply(call, 'customerAnswered');
        log.info('callback established', { agentId: call.agentId, bridgeId: call.bridgeId });
        await this.ports.emit<'Established'>({
          type: 'Established',
          contactId: call.contactId,
          agentId: call.agentId ?? '',
          agentChannelId: call.agentChannelId ?? '',
        });
      }
    });
  }

  /** The attempt is over before the customer answered: both legs and the bridge go; CTI retries or gives up. */
  private async callbackFailed(call: Call, reason: MessageOf<'CallbackFailed'>['reason']): Promise<void> {
    const agentId = call.agentId ?? '';
    this.calls.apply(call, 'released');
    this.calls.remove(call);
    for (const leg of [call.agentChannelId, call.channelId])
      if (leg !== undefined) await this.ports.channels.hangup(leg);
    if (call.bridgeId !== undefined) await this.ports.channels.destroyBridge(call.bridgeId);
    contactLogger(this.ports.log, call.contactId).info('callback attempt failed', { reason, agentId });
    await this.ports.emit<'CallbackFailed'>({
      type: 'CallbackFailed',
      contactId: call.contactId,
      agentId,
      number: call.callback?.number ?? call.calledNumber,
      reason,
    });
  }

  /** A callback leg ended before the customer answered. */
  private async callbackLegGone(call: Call, channelId: string, cause: number): Promise<void> {
    if (call.state === 'callbackRinging') {
      if (channelId !== call.agentChannelId) return;
      // The agent did not answer: like a ring-no-answer, the callback goes back to the head of its queue.
      const agentId = call.agentId ?? '';
      this.calls.detachAgentLeg(call);
      this.calls.apply(call, 'released');
      this.calls.remove(call);
      await this.divertFailed(call.contactId, agentId, unansweredReason(cause));
      return;
    }
    const byAgent = channelId === call.agentChannelId || call.releasedBy === 'agent';
    await this.callbackFailed(call, byAgent ? 'agent-hangup' : unansweredReason(cause));
  }

  /** CTI released the call (the agent hung up from its client): every leg goes, ConnectionCleared follows. */
  clearCall(command: MessageOf<'ClearCall'>): Promise<void> {
    return this.serial.run(command.contactId, async () => {
      const call = this.calls.byContactId(command.contactId);
      if (call === undefined || call.state === 'cleared') return;
      const conference = call.conference;
      if (call.state === 'conferenced' && conference !== undefined && command.by === 'agent') {
        // In a conference an agent's hang-up is that agent leaving; the others stay (channelDestroyed).
        const third = conference.target.kind === 'agent' && conference.target.agentId === command.agentId;
        const leg = third ? conference.channelId : call.agentChannelId;
        if (leg !== undefined) await this.ports.channels.hangup(leg);
        return;
      }
      call.releasedBy = command.by === 'agent' ? 'agent' : 'system';
      // A callback still ringing its agent has no customer leg yet: the agent's leg is the one to end.
      const leg = call.state === 'callbackRinging' ? call.agentChannelId : call.channelId;
      if (leg !== undefined) await this.ports.channels.hangup(leg);
    });
  }

  /**
   * The agent holds the caller: the agent leg leaves the bridge (it hears nothing and is not heard), the
   * caller hears music on hold or, with video, a looped prompt whose video is a still card ("on hold").
   * ARI suspends MOH while a channel plays media, so a video caller gets the prompt instead of MOH.
   */
  holdCall(command: MessageOf<'HoldCall'>): Promise<void> {
    return this.serial.run(command.contactId, async () => {
      const call = this.agentsCall(command.contactId, command.agentId, ['talking'], 'hold');
      if (call === undefined || call.bridgeId === undefined || call.agentChannelId === undefined) return;
      this.calls.apply(call, 'hold');
      await this.ports.callMedia.removeFromBridge(call.bridgeId, call.agentChannelId);
      const audible = await this.startHoldMedia(call);
      if (!audible) return; // the caller left meanwhile: its ChannelDestroyed releases the call
      contactLogger(this.ports.log, call.contactId).info('held', { agentId: command.agentId });
      await this.ports.emit<'Held'>({ type: 'Held', contactId: call.contactId, agentId: command.agentId });
    });
  }

  /** The agent takes the caller back: hold media stops and the agent leg rejoins the bridge. */
  retrieveCall(command: MessageOf<'RetrieveCall'>): Promise<void> {
    return this.serial.run(command.contactId, async () => {
      const call = this.agentsCall(command.contactId, command.agentId, ['held'], 'retrieve');
      if (call === undefined || call.bridgeId === undefined || call.agentChannelId === undefined) return;
      await this.stopHoldMedia(call);
      const back = await this.ports.callMedia.addToBridge(call.bridgeId, call.agentChannelId);
      if (!back) return; // a leg left meanwhile: its ChannelDestroyed releases the call
      this.calls.apply(call, 'retrieve');
      contactLogger(this.ports.log, call.contactId).info('retrieved', { agentId: command.agentId });
      await this.ports.emit<'Retrieved'>({
        type: 'Retrieved',
        contactId: call.contactId,
        agentId: command.agentId,
      });
    });
  }

  /**
   * Blind transfer. To a queue: the agent leg is hung up, the bridge goes, and the caller moves back to
   * the IVR with the new queue (queue media, position announcements), where it asks CTI for an agent
   * like any caller. To an agent or a number: see transferOut.
   */
  transferCall(command: MessageOf<'TransferCall'>): Promise<void> {
    return this.serial.run(command.contactId, async () => {
      const call = this.agentsCall(command.contactId, command.agentId, ['talking', 'held'], 'transfer');
      if (call === undefined) return;
      const log = contactLogger(this.ports.log, call.contactId);
      const target = command.target;
      if (target.kind !== 'queue') {
        await this.transferOut(call, command, target, log);
        return;
      }
      if (call.state === 'held') await this.stopHoldMedia(call);
      const agentLeg = call.agentChannelId;
      this.calls.detachAgentLeg(call);
      if (call.bridgeId !== undefined) await this.ports.channels.destroyBridge(call.bridgeId);
      delete call.bridgeId;
      if (agentLeg !== undefined) await this.ports.channels.hangup(agentLeg);
      this.calls.apply(call, 'transferToQueue');
      // Reported before the move: CTI must release the first agent before the IVR's AgentRequest for
      // the new queue arrives, or routing would see the contact still connected and refuse it.
      log.info('transferred to queue', { agentId: command.agentId, queueId: target.queueId });
      await this.ports.emit<'Transferred'>({
        type: 'Transferred',
        contactId: call.contactId,
        agentId: command.agentId,
        target,
      });
      const moved = await this.ports.channels.move(call.channelId, this.ports.ivrApp, [
        call.contactId,
        call.calledNumber,
        call.media,
        'queue',
        target.queueId,
      ]);
      if (!moved) log.info('caller left during the transfer'); // its ChannelDestroyed releases the call
    });
  }

  /**
   * Blind transfer to an agent or a number: the first agent's leg goes at once (it is reported released),
   * the caller stays in the bridge on hold media while the target rings, and the target joins the bridge
   * when it answers. A target that does not answer sends the caller back to its queue.
   */
  private async transferOut(
    call: Call,
    command: MessageOf<'TransferCall'>,
    target: Exclude<MessageOf<'TransferCall'>['target'], { kind: 'queue' }>,
    log: Logger,
  ): Promise<void> {
    const wasHeld = call.state === 'held';
    const first = call.agentChannelId;
    this.calls.detachAgentLeg(call);
    if (first !== undefined) await this.ports.channels.hangup(first);
    if (!wasHeld) await this.startHoldMedia(call);
    this.calls.apply(call, 'transferOut');
    call.transfer = {
      by: command.agentId,
      target,
      ...(command.fallbackQueueId === undefined ? {} : { fallbackQueueId: command.fallbackQueueId }),
    };
    await this.ports.emit<'Transferred'>({
      type: 'Transferred',
      contactId: call.contactId,
      agentId: command.agentId,
      target,
    });
    // Unique even within the millisecond of the first agent's leg (the recovery pattern: agent-<base36>).
    const leg = `${call.contactId}-agent-${Date.now().toString(36)}t${randomUUID().slice(0, 6)}`;
    this.calls.attachAgentLeg(call, leg, target.kind === 'agent' ? target.agentId : '');
    try {
      await this.ports.channels.originate({
        channelId: leg,
        endpoint: target.endpoint,
        app: this.ports.softacdApp,
        args: ['transfer', call.contactId],
        timeoutSec: target.ringTimeoutSec,
        ...this.offeredLike(call),
        ...(target.kind === 'agent' ? { variables: { [AGENT_TAG]: target.agentId } } : {}),
      });
    } catch (err) {
      log.warn('transfer target unreachable', { endpoint: target.endpoint, error: (err as Error).message });
      this.calls.detachAgentLeg(call);
      await this.transferTargetGone(call, 'unreachable');
      return;
    }
    log.info('transferring', { from: command.agentId, kind: target.kind, endpoint: target.endpoint });
  }

  /** The transfer target answered (its channel entered Stasis): hold media stops, it joins the bridge. */
  transferAnswered(channelId: string): Promise<void> {
    const call = this.calls.byChannelId(channelId);
    if (call === undefined || call.agentChannelId !== channelId) return this.ports.channels.hangup(channelId);
    return this.serial.run(call.contactId, async () => {
      if (call.state !== 'transferring' || call.bridgeId === undefined) return;
      await this.stopHoldMedia(call);
      if (!(await this.ports.callMedia.addToBridge(call.bridgeId, channelId))) return;
      this.calls.apply(call, 'transferAnswered');
      const target = call.transfer?.target;
      delete call.transfer;
      contactLogger(this.ports.log, call.contactId).info('transfer answered', { target });
      if (target?.kind === 'agent') {
        await this.ports.emit<'Established'>({
          type: 'Established',
          contactId: call.contactId,
          agentId: target.agentId,
          agentChannelId: channelId,
        });
      }
    });
  }

  /** The target did not answer: the caller goes back to its queue (or is released without one). */
  private async transferTargetGone(call: Call, reason: MessageOf<'TransferFailed'>['reason']): Promise<void> {
    const t = call.transfer;
    delete call.transfer;
    await this.stopHoldMedia(call);
    if (call.bridgeId !== undefined) await this.ports.channels.destroyBridge(call.bridgeId);
    delete call.bridgeId;
    const fallback = t?.fallbackQueueId;
    await this.ports.emit<'TransferFailed'>({
      type: 'TransferFailed',
      contactId: call.contactId,
      agentId: t?.by ?? '',
      reason,
      ...(fallback === undefined ? {} : { fallbackQueueId: fallback }),
      ...(t === undefined ? {} : { target: t.target }),
    });
    if (fallback === undefined) {
      call.releasedBy = 'system';
      await this.ports.channels.hangup(call.channelId);
      return;
    }
    this.calls.apply(call, 'transferToQueue');
    await this.ports.channels.move(call.channelId, this.ports.ivrApp, [
      call.contactId,
      call.calledNumber,
      call.media,
      'queue',
      fallback,
    ]);
  }

  /**
   * Attended transfer, step 1: the caller is held (agent out of the bridge, hold media) and the target is
   * called; when it answers, agent and target talk in a bridge of their own (`<contactId>-consult`).
   */
  consultCall(command: MessageOf<'ConsultCall'>): Promise<void> {
    return this.serial.run(command.contactId, async () => {
      const call = this.agentsCall(command.contactId, command.agentId, ['talking', 'held'], 'consult');
      const target = command.target;
      const log = contactLogger(this.ports.log, command.contactId);
      if (call === undefined || call.bridgeId === undefined || call.agentChannelId === undefined) return;
      if (target.kind === 'queue') {
        log.warn('consult refused: a queue cannot be consulted');
        return;
      }
      if (call.state === 'talking') {
        await this.ports.callMedia.removeFromBridge(call.bridgeId, call.agentChannelId);
        await this.startHoldMedia(call);
        await this.ports.emit<'Held'>({ type: 'Held', contactId: call.contactId, agentId: command.agentId });
      }
      this.calls.apply(call, 'consult');
      const leg = `${call.contactId}-agent-${Date.now().toString(36)}c${randomUUID().slice(0, 6)}`;
      call.consult = {
        by: command.agentId,
        target,
        channelId: leg,
        bridgeId: `${call.contactId}-consult`,
        answered: false,
      };
      this.calls.attachLeg(call, leg);
      try {
        await this.ports.channels.originate({
          channelId: leg,
          endpoint: target.endpoint,
          app: this.ports.softacdApp,
          args: ['consult', call.contactId],
          timeoutSec: target.ringTimeoutSec,
          ...(target.kind === 'agent' ? { variables: { [AGENT_TAG]: target.agentId } } : {}),
        });
      } catch (err) {
        log.warn('consult target unreachable', { endpoint: target.endpoint, error: (err as Error).message });
        await this.endConsult(call, 'failed');
        return;
      }
      log.info('consulting', { agentId: command.agentId, kind: target.kind, endpoint: target.endpoint });
    });
  }

  /** The consulted target answered: it and the agent talk in the consult bridge. */
  consultAnswered(channelId: string): Promise<void> {
    const call = this.calls.byChannelId(channelId);
    if (call?.consult?.channelId !== channelId) return this.ports.channels.hangup(channelId);
    return this.serial.run(call.contactId, async () => {
      const consult = call.consult;
      if (call.state !== 'consulting' || consult === undefined || call.agentChannelId === undefined) return;
      if (!(await this.ports.channels.bridge(consult.bridgeId, [call.agentChannelId, channelId]))) return;
      consult.answered = true;
      contactLogger(this.ports.log, call.contactId).info('consulted', { target: consult.target });
      await this.ports.emit<'Consulted'>({
        type: 'Consulted',
        contactId: call.contactId,
        agentId: consult.by,
        target: consult.target,
      });
    });
  }

  /** Attended transfer, step 2: the caller goes to the target, the agent is released. */
  completeTransfer(command: MessageOf<'CompleteTransfer'>): Promise<void> {
    return this.serial.run(command.contactId, async () => {
      const call = this.agentsCall(command.contactId, command.agentId, ['consulting'], 'complete transfer');
      const consult = call?.consult;
      if (call === undefined || consult === undefined || !consult.answered || call.bridgeId === undefined) {
        if (call !== undefined)
          contactLogger(this.ports.log, call.contactId).warn('complete refused: target not answered');
        return;
      }
      const first = call.agentChannelId;
      await this.ports.channels.destroyBridge(consult.bridgeId);
      this.calls.detachAgentLeg(call);
      this.calls.detachLeg(consult.channelId);
      delete call.consult;
      this.calls.attachAgentLeg(
        call,
        consult.channelId,
        consult.target.kind === 'agent' ? consult.target.agentId : '',
      );
      if (first !== undefined) await this.ports.channels.hangup(first);
      await this.stopHoldMedia(call);
      await this.ports.callMedia.addToBridge(call.bridgeId, consult.channelId);
      this.calls.apply(call, 'consultCompleted');
      contactLogger(this.ports.log, call.contactId).info('attended transfer completed', {
        target: consult.target,
      });
      await this.ports.emit<'Transferred'>({
        type: 'Transferred',
        contactId: call.contactId,
        agentId: consult.by,
        target: consult.target,
      });
      if (consult.target.kind === 'agent') {
        await this.ports.emit<'Established'>({
          type: 'Established',
          contactId: call.contactId,
          agentId: consult.target.agentId,
          agentChannelId: consult.channelId,
        });
      }
    });
  }

  /**
   * Three-way conference: the consultation is merged into the call. Agent and target leave the consult
   * bridge, the caller's hold media stops, and both join the call's bridge. With three members Asterisk
   * moves the mixing bridge from native forwarding to softmix: each party hears the mix of the other two
   * (audio is decoded and mixed); video follows the bridge's video mode (`talker` for ARI bridges: each
   * party sees the loudest other speaker, re-sent by Asterisk rather than passed through untouched).
   */
  conferenceCall(command: MessageOf<'ConferenceCall'>): Promise<void> {
    return this.serial.run(command.contactId, async () => {
      const call = this.agentsCall(command.contactId, command.agentId, ['consulting'], 'conference');
      const consult = call?.consult;
      if (
        call === undefined ||
        consult === undefined ||
        !consult.answered ||
        call.bridgeId === undefined ||
        call.agentChannelId === undefined
      ) {
        if (call !== undefined)
          contactLogger(this.ports.log, call.contactId).warn('conference refused: target not answered');
        return;
      }
      delete call.consult;
      call.conference = { by: consult.by, target: consult.target, channelId: consult.channelId };
      this.calls.apply(call, 'conference');
      await this.ports.channels.destroyBridge(consult.bridgeId);
      await this.stopHoldMedia(call);
      // A leg that left meanwhile is handled by its ChannelDestroyed, queued behind this command.
      await this.ports.callMedia.addToBridge(call.bridgeId, call.agentChannelId);
      await this.ports.callMedia.addToBridge(call.bridgeId, consult.channelId);
      contactLogger(this.ports.log, call.contactId).info('conference', {
        agentId: consult.by,
        target: consult.target,
      });
      await this.ports.emit<'Conferenced'>({
        type: 'Conferenced',
        contactId: call.contactId,
        agentId: consult.by,
        target: consult.target,
      });
    });
  }

  /**
   * One of the agent or the third party left a conference. The third party leaving leaves the agent with
   * the caller. The agent leaving leaves an agent target with the caller (it now owns the call); with an
   * outside number as third party the call ends (no agent would own it): `false`, and the release path
   * hangs up every leg.
   */
  private async conferencePartyLeft(call: Call, channelId: string): Promise<boolean> {
    const conf = call.conference;
    if (conf === undefined) return false;
    const log = contactLogger(this.ports.log, call.contactId);
    if (channelId === conf.channelId) {
      delete call.conference;
      this.calls.detachLeg(channelId);
      this.calls.apply(call, 'partyLeft');
      log.info('conference ended: third party left', { target: conf.target });
      await this.ports.emit<'ConferenceEnded'>({
        type: 'ConferenceEnded',
        contactId: call.contactId,
        agentId: conf.by,
        left: 'third-party',
        target: conf.target,
      });
      return true;
    }
    if (channelId !== call.agentChannelId || conf.target.kind !== 'agent') return false;
    delete call.conference;
    this.calls.detachAgentLeg(call);
    this.calls.detachLeg(conf.channelId);
    this.calls.attachAgentLeg(call, conf.channelId, conf.target.agentId);
    this.calls.apply(call, 'partyLeft');
    log.info('conference ended: agent left, the target agent keeps the caller', { target: conf.target });
    await this.ports.emit<'ConferenceEnded'>({
      type: 'ConferenceEnded',
      contactId: call.contactId,
      agentId: conf.by,
      left: 'agent',
      target: conf.target,
    });
    await this.ports.emit<'Established'>({
      type: 'Established',
      contactId: call.contactId,
      agentId: conf.target.agentId,
      agentChannelId: conf.channelId,
    });
    return true;
  }

  /** Attended transfer cancelled: the target is hung up and the agent is back with the caller. */
  cancelConsult(command: MessageOf<'CancelConsult'>): Promise<void> {
    return this.serial.run(command.contactId, async () => {
      const call = this.agentsCall(command.contactId, command.agentId, ['consulting'], 'cancel consult');
      if (call === undefined) return;
      await this.endConsult(call, 'cancelled');
    });
  }

  /** The consultation is over without a transfer: target leg and consult bridge go, agent back with the caller. */
  private async endConsult(call: Call, outcome: 'cancelled' | 'failed'): Promise<void> {
    const consult = call.consult;
    if (consult === undefined) return;
    delete call.consult;
    this.calls.detachLeg(consult.channelId);
    await this.ports.channels.hangup(consult.channelId);
    await this.ports.channels.destroyBridge(consult.bridgeId);
    await this.stopHoldMedia(call);
    if (call.bridgeId !== undefined && call.agentChannelId !== undefined)
      await this.ports.callMedia.addToBridge(call.bridgeId, call.agentChannelId);
    this.calls.apply(call, 'consultEnded');
    contactLogger(this.ports.log, call.contactId).info('consultation ended', { outcome });
    await this.ports.emit<'ConsultEnded'>({
      type: 'ConsultEnded',
      contactId: call.contactId,
      agentId: consult.by,
      outcome,
      target: consult.target,
    });
    await this.ports.emit<'Retrieved'>({ type: 'Retrieved', contactId: call.contactId, agentId: consult.by });
  }

  /**
   * The queue records its calls: both directions of the caller's channel, from Established until the
   * caller leaves (through holds and transfers: one recording per call).
   */
  recordCall(command: MessageOf<'RecordCall'>): Promise<void> {
    return this.serial.run(command.contactId, async () => {
      const call = this.calls.byContactId(command.contactId);
      const log = contactLogger(this.ports.log, command.contactId);
      if (call === undefined || call.bridgeId === undefined || !['talking', 'held'].includes(call.state)) {
        log.warn('record refused: no bridged call', { state: call?.state });
        return;
      }
      if (call.recording !== undefined) {
        log.info('already recording', { name: call.recording });
        return;
      }
      const name = `${call.contactId}-${Date.now().toString(36)}`;
      this.recordings.set(name, { contactId: call.contactId, format: command.format, startedAt: Date.now() });
      call.recording = name;
      const started = await this.ports.callMedia.recordChannel({
        channelId: call.channelId,
        snoopId: snoopId(call),
        app: this.ports.softacdApp,
        appArgs: ['snoop', call.contactId],
        name,
        format: command.format,
      });
      if (!started) {
        this.recordings.delete(name);
        log.info('caller gone before recording started');
        return;
      }
      log.info('recording', { name, format: command.format });
    });
  }

  /** ARI RecordingFinished/RecordingFailed: the metadata goes to CTI, the entry leaves. */
  recordingEnded(name: string, durationSec: number | undefined, failed: boolean): Promise<void> {
    const rec = this.recordings.get(name);
    if (rec === undefined) return Promise.resolve();
    this.recordings.delete(name);
    const log = contactLogger(this.ports.log, rec.contactId);
    if (failed) {
      log.warn('recording failed', { name });
      return Promise.resolve();
    }
    const dir = this.ports.recordingDir ?? '/var/spool/asterisk/recording';
    return this.ports.emit<'RecordingStored'>({
      type: 'RecordingStored',
      contactId: rec.contactId,
      name,
      format: rec.format,
      durationSec: durationSec ?? Math.round((Date.now() - rec.startedAt) / 1000),
      path: `${dir}/${name}.${rec.format}`,
    });
  }

  /** Recordings whose end never arrived (a lost event) leave after `maxAgeMs`. */
  sweepRecordings(now: number, maxAgeMs: number): string[] {
    const stale = [...this.recordings].filter(([, r]) => now - r.startedAt > maxAgeMs).map(([n]) => n);
    for (const name of stale) this.recordings.delete(name);
    return stale;
  }

  /** The call, if this agent is on it and the call is in one of `states`; otherwise logged and undefined. */
  private agentsCall(
    contactId: string,
    agentId: string,
    states: Call['state'][],
    what: string,
  ): Call | undefined {
    const call = this.calls.byContactId(contactId);
    if (call !== undefined && call.agentId === agentId && states.includes(call.state)) return call;
    contactLogger(this.ports.log, contactId).warn(`${what} refused`, {
      agentId,
      state: call?.state ?? 'gone',
      callAgent: call?.agentId,
    });
    return undefined;
  }

  /**
   * A leg that will be bridged with a video caller is originated with the caller as originator: Asterisk
   * then offers it the caller's formats (its video codec included) in the first INVITE, instead of audio
   * first and video by a re-INVITE when the bridge forms. Audio calls keep the endpoint's own offer.
   */
  private offeredLike(call: Call): { originator?: string } {
    return call.media === 'audio+video' ? { originator: call.channelId } : {};
  }

  private startHoldMedia(call: Call): Promise<boolean> {
    return call.media === 'audio+video'
      ? this.ports.callMedia.play(
          call.channelId,
          holdPlaybackId(call),
          Array<string>(VIDEO_HOLD_REPEATS).fill(this.ports.videoHoldMedia ?? 'sound:ipcc/hold'),
        )
      : this.ports.callMedia.startMoh(call.channelId, this.ports.mohClass ?? 'default');
  }

  private async stopHoldMedia(call: Call): Promise<void> {
    if (call.media === 'audio+video') await this.ports.callMedia.stopPlayback(holdPlaybackId(call));
    else await this.ports.callMedia.stopMoh(call.channelId);
  }

  private divertFailed(
    contactId: string,
    agentId: string,
    reason: MessageOf<'DivertFailed'>['reason'],
  ): Promise<void> {
    return this.ports.emit<'DivertFailed'>({ type: 'DivertFailed', contactId, agentId, reason });
  }

  /** S216/S241: a leg of a call is gone; the others are hung up and CTI told exactly once. */
  channelDestroyed(channelId: string, cause: number, causeText: string, channelName?: string): Promise<void> {
    const call = this.calls.byChannelId(channelId);
    if (call === undefined) return Promise.resolve();
    return this.serial.run(call.contactId, async () => {
      if (call.state === 'cleared') return;
      for (const hook of this.legGoneHooks) if (await hook(call, channelId, cause, channelName)) return;
      if (call.state === 'callbackRinging' || call.state === 'callbackDialling') {
        await this.callbackLegGone(call, channelId, cause);
        return;
      }
      if (channelId === call.agentChannelId && call.state === 'ringing') {
        // The agent did not answer (or refused): the caller is still in the queue, in the IVR.
        const agentId = call.agentId ?? '';
        this.calls.detachAgentLeg(call);
        this.calls.apply(call, 'agentNoAnswer');
        await this.divertFailed(
          call.contactId,
          agentId,
          cause === 17 ? 'busy' : cause === 19 || cause === 16 ? 'no-answer' : 'unreachable',
        );
        return;
      }
      if (channelId === call.consult?.channelId) {
        // The consulted target never answered or hung up: the agent is back with the caller.
        await this.endConsult(call, 'failed');
        return;
      }
      if (call.state === 'conferenced' && (await this.conferencePartyLeft(call, channelId))) return;
      if (channelId === call.agentChannelId && call.state === 'transferring') {
        this.calls.detachAgentLeg(call);
        await this.transferTargetGone(
          call,
          cause === 17 ? 'busy' : cause === 19 || cause === 16 ? 'no-answer' : 'unreachable',
        );
        return;
      }
      if (channelId === call.agentChannelId && call.releasedBy === undefined) call.releasedBy = 'agent';
      // ConnectionCleared's stages predate hold: a held call is still a call with an agent (talking).
      const stage =
        call.state === 'held' ||
        call.state === 'transferring' ||
        call.state === 'consulting' ||
        call.state === 'conferenced'
          ? 'talking'
          : call.state === 'outboundDialling'
            ? 'ringing'
            : call.state;
      this.calls.apply(call, 'released');
      this.calls.remove(call);
      const releasedBy = call.releasedBy ?? 'caller';
      const snoop = call.recording === undefined ? undefined : snoopId(call);
      const legs = [
        call.channelId,
        call.agentChannelId,
        call.consult?.channelId,
        call.conference?.channelId,
        call.reconnect?.channelId,
      ];
      for (const leg of [...legs, snoop]) {
        if (leg !== undefined && leg !== channelId) await this.ports.channels.hangup(leg);
      }
      if (call.bridgeId !== undefined) await this.ports.channels.destroyBridge(call.bridgeId);
      if (call.consult !== undefined) await this.ports.channels.destroyBridge(call.consult.bridgeId);
      contactLogger(this.ports.log, call.contactId).info('connection cleared', { stage, releasedBy, cause });
      await this.ports.emit<'ConnectionCleared'>({
        type: 'ConnectionCleared',
        contactId: call.contactId,
        releasedBy,
        stage,
        cause,
        causeText,
      });
    });
  }

  /** After a reconnect: calls whose channel vanished while events could not arrive are cleared now. */
  async resync(liveChannelIds: Set<string>): Promise<void> {
    for (const call of this.calls.all()) {
      if (!liveChannelIds.has(call.channelId))
        await this.channelDestroyed(call.channelId, 0, 'gone during ARI outage');
    }
  }

  /**
   * After a restart: the calls Asterisk still has are taken back from what it lists (channels with their
   * tag, bridges), so a call in progress is never dropped because SoftACD restarted.
   */
  async recover(live: LiveChannel[], bridges: LiveBridge[]): Promise<number> {
    let recovered = 0;
    for (const ch of live) {
      const tag = ch.tag === undefined ? undefined : decodeTag(ch.tag);
      if (tag === undefined || this.calls.byContactId(tag.contactId) !== undefined) continue;
      const bridge = bridges.find((b) => b.id === `${tag.contactId}-bridge` && b.channels.includes(ch.id));
      const agentLeg =
        bridge?.channels.find((id) => id !== ch.id) ??
        live.find((c) => c.id.startsWith(`${tag.contactId}-agent-`))?.id;
      const call: Call = {
        contactId: tag.contactId,
        channelId: ch.id,
        calledNumber: tag.calledNumber,
        callingNumber: ch.callingNumber,
        media: tag.media,
        state: bridge !== undefined ? 'talking' : agentLeg !== undefined ? 'ringing' : 'ivr',
        createdAt: Date.now(),
        ...(bridge === undefined ? {} : { bridgeId: bridge.id }),
      };
      this.calls.add(call);
      if (agentLeg !== undefined)
        this.calls.attachAgentLeg(call, agentLeg, live.find((c) => c.id === agentLeg)?.agentId ?? '');
      await this.ports.channels.follow(this.ports.softacdApp, ch.id);
      if (agentLeg !== undefined) await this.ports.channels.follow(this.ports.softacdApp, agentLeg);
      contactLogger(this.ports.log, call.contactId).info('call recovered after restart', {
        state: call.state,
      });
      recovered++;
    }
    await this.dropOrphans(live, bridges);
    return recovered;
  }

  /**
   * Legs and bridges of calls whose caller left while SoftACD was away (an agent leg, a recording's
   * snoop channel, the call's bridge) have nobody to talk to: they are ended, not left in Asterisk.
   */
  private async dropOrphans(live: LiveChannel[], bridges: LiveBridge[]): Promise<void> {
    const owner = (id: string) => /^(.+)-(agent-[0-9a-z]+|snoop|bridge|consult)$/.exec(id)?.[1];
    for (const ch of live) {
      const contactId = owner(ch.id);
      if (contactId === undefined || this.calls.byContactId(contactId) !== undefined) continue;
      this.ports.log.warn('orphan leg ended', { contactId, channelId: ch.id });
      await this.ports.channels.hangup(ch.id);
    }
    for (const b of bridges) {
      const contactId = owner(b.id);
      if (contactId === undefined || this.calls.byContactId(contactId) !== undefined) continue;
      this.ports.log.warn('orphan bridge destroyed', { contactId, bridgeId: b.id });
      await this.ports.channels.destroyBridge(b.id);
    }
  }

  /**
   * The calls this SoftACD holds now, for CTI's reconciliation (CallList): emitted through the same
   * publisher as every call event, so CTI has each earlier event of these calls queued before it.
   */
  async reportCalls(reason: 'requested' | 'resync'): Promise<void> {
    const calls = this.calls
      .all()
      .filter((c) => c.state !== 'cleared')
      .map((c) => ({
        contactId: c.contactId,
        state: c.state,
        ...(c.agentId === undefined || c.agentId === '' ? {} : { agentId: c.agentId }),
      }));
    await this.ports.emit<'CallList'>({
      type: 'CallList',
      contactId: `calls:${this.ports.instanceId}`,
      instance: this.ports.instanceId,
      reason,
      calls,
    });
  }

  get inFlight(): number {
    return this.serial.size;
  }
}

/** The caller-id an agent's phone shows: quotes and backslashes dropped so the name cannot break out. */
export function presentedCallerId(command: {
  callerIdNumber?: string;
  callerIdName?: string;
}): string | undefined {
  if (command.callerIdNumber === undefined) return undefined;
  return `"${(command.callerIdName ?? '').replace(/["\\]/g, '')}" <${command.callerIdNumber}>`;
}
