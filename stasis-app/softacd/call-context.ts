import type { KeyedSerial } from '../../lib/keyed-serial';
import type { Logger } from '../../lib/log';
import { contactLogger } from '../../lib/log';
import type { Draft, MessageOf, MessageType } from '../../lib/messages';
import type { CallMediaControl } from '../ari/call-media';
import type { ChannelControl } from '../ari/channels';
import { type OutcomeOf, verdict } from './call-guards';
import type { Call, CallRegistry } from './call-registry';
import type { FeatureLegGoneAction } from './leg-gone';

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
export interface ActiveRecording {
  contactId: string;
  format: string;
  startedAt: number;
}

/**
 * What every feature module acts on: the ports (ARI, publisher, logger, settings) and the per-call state
 * they share. Built once by SoftAcdService; the modules hold no state of their own.
 */
export interface CallContext {
  readonly ports: SoftAcdPorts;
  readonly calls: CallRegistry;
  readonly recordings: Map<string, ActiveRecording>;
  /** One change at a time per call, across every module that acts on the same calls. */
  readonly serial: KeyedSerial;
  /** The LEG_GONE actions of features kept in classes of their own (take-back, desk-phone dial-out). */
  readonly legGone: Map<FeatureLegGoneAction, LegGoneHook>;
}

/**
 * A feature kept in a class of its own (take-back, desk-phone dial-out) handles a leg that went, where
 * LEG_GONE names its action; `false` means the call is released after all.
 */
export type LegGoneHook = (
  call: Call,
  channelId: string,
  cause: number,
  channelName: string | undefined,
) => Promise<boolean>;

/** A video hold prompt is about 10 s: this many repeats cover a long hold in one playback. */
const VIDEO_HOLD_REPEATS = 90;

export function snoopId(call: Call): string {
  return `${call.contactId}-snoop`;
}

function holdPlaybackId(call: Call): string {
  return `${call.contactId}-hold`;
}

export function ringbackId(call: Call): string {
  return `${call.contactId}-ringback`;
}

/** Q.850 cause of a leg that ended before answering, as the messages name it. */
export function unansweredReason(cause: number): 'busy' | 'no-answer' | 'unreachable' {
  return cause === 17 ? 'busy' : cause === 19 || cause === 16 ? 'no-answer' : 'unreachable';
}

/** The caller-id an agent's phone shows: quotes and backslashes dropped so the name cannot break out. */
export function presentedCallerId(command: {
  callerIdNumber?: string;
  callerIdName?: string;
}): string | undefined {
  if (command.callerIdNumber === undefined) return undefined;
  return `"${(command.callerIdName ?? '').replace(/["\\]/g, '')}" <${command.callerIdNumber}>`;
}

type AgentCommand =
  | 'HoldCall'
  | 'RetrieveCall'
  | 'TransferCall'
  | 'ConsultCall'
  | 'CompleteTransfer'
  | 'CancelConsult'
  | 'ConferenceCall';

/**
 * The call and what `input` does to it (COMMAND_GUARDS), if this agent is on it and the call's state
 * allows the command; otherwise logged and undefined.
 */
export function agentsCall<C extends AgentCommand>(
  ctx: CallContext,
  input: C,
  command: { contactId: string; agentId: string },
  what: string,
): { call: Call; outcome: Exclude<OutcomeOf<C>, 'refuse'> } | undefined {
  const { contactId, agentId } = command;
  const call = ctx.calls.byContactId(contactId);
  const outcome = verdict(input, call);
  if (call !== undefined && call.agentId === agentId && outcome !== 'refuse')
    return { call, outcome: outcome as Exclude<OutcomeOf<C>, 'refuse'> };
  contactLogger(ctx.ports.log, contactId).warn(`${what} refused`, {
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
export function offeredLike(call: Call): { originator?: string } {
  return call.media === 'audio+video' ? { originator: call.channelId } : {};
}

export function startHoldMedia(ctx: CallContext, call: Call): Promise<boolean> {
  return call.media === 'audio+video'
    ? ctx.ports.callMedia.play(
        call.channelId,
        holdPlaybackId(call),
        Array<string>(VIDEO_HOLD_REPEATS).fill(ctx.ports.videoHoldMedia ?? 'sound:ipcc/hold'),
      )
    : ctx.ports.callMedia.startMoh(call.channelId, ctx.ports.mohClass ?? 'default');
}

export async function stopHoldMedia(ctx: CallContext, call: Call): Promise<void> {
  if (call.media === 'audio+video') await ctx.ports.callMedia.stopPlayback(holdPlaybackId(call));
  else await ctx.ports.callMedia.stopMoh(call.channelId);
}

export function divertFailed(
  ctx: CallContext,
  contactId: string,
  agentId: string,
  reason: MessageOf<'DivertFailed'>['reason'],
): Promise<void> {
  return ctx.ports.emit<'DivertFailed'>({ type: 'DivertFailed', contactId, agentId, reason });
}
