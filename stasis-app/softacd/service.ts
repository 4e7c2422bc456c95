import { KeyedSerial } from '../../lib/keyed-serial';
import type { MessageOf } from '../../lib/messages';
import { type ActiveRecording, type CallContext, type LegGoneHook, type SoftAcdPorts } from './call-context';
import { CallRegistry } from './call-registry';
import type { IncomingChannel, LiveBridge, LiveChannel } from './call-tag';
import * as arrival from './arrival';
import * as callbacks from './callbacks';
import * as conference from './conference';
import * as consult from './consult';
import * as divert from './divert';
import * as holdTransfer from './hold-transfer';
import * as recording from './recording';
import * as recovery from './recover-calls';
import type { FeatureLegGoneAction } from './leg-gone';
import * as release from './release';

export { type LegGoneHook, type SoftAcdPorts, presentedCallerId } from './call-context';
export {
  type IncomingChannel,
  type LiveBridge,
  type LiveChannel,
  callerText,
  decodeTag,
  encodeTag,
} from './call-tag';

/**
 * SoftACD's call control (patent steps S201-S241): reports calls to CTI and carries out its routing
 * commands. Knows ARI and RabbitMQ only through the ports it is given. This class only wires: each
 * feature lives in a module of its own acting on one shared call context.
 */
export class SoftAcdService {
  readonly calls = new CallRegistry();
  readonly recordings = new Map<string, ActiveRecording>();
  /** One change at a time per call; shared with the feature modules that act on the same calls. */
  readonly serial = new KeyedSerial();
  readonly legGone = new Map<FeatureLegGoneAction, LegGoneHook>();
  private readonly ctx: CallContext;

  constructor(ports: SoftAcdPorts) {
    this.ctx = {
      ports,
      calls: this.calls,
      recordings: this.recordings,
      serial: this.serial,
      legGone: this.legGone,
    };
  }

  callArrived(incoming: IncomingChannel): Promise<void> {
    return arrival.callArrived(this.ctx, incoming);
  }

  releaseUnreported(channelId: string): Promise<void> {
    return arrival.releaseUnreported(this.ctx, channelId);
  }

  routeSelect(command: MessageOf<'RouteSelect'>): Promise<void> {
    return arrival.routeSelect(this.ctx, command);
  }

  divertCall(command: MessageOf<'DivertCall'>): Promise<void> {
    return divert.divertCall(this.ctx, command);
  }

  agentRinging(channelId: string): Promise<void> {
    return divert.agentRinging(this.ctx, channelId);
  }

  agentAnswered(channelId: string): Promise<void> {
    return divert.agentAnswered(this.ctx, channelId);
  }

  callerReturned(channelId: string): Promise<void> {
    return divert.callerReturned(this.ctx, channelId);
  }

  dialCallback(command: MessageOf<'DialCallback'>): Promise<void> {
    return callbacks.dialCallback(this.ctx, command);
  }

  callbackAnswered(channelId: string): Promise<void> {
    return callbacks.callbackAnswered(this.ctx, channelId);
  }

  holdCall(command: MessageOf<'HoldCall'>): Promise<void> {
    return holdTransfer.holdCall(this.ctx, command);
  }

  retrieveCall(command: MessageOf<'RetrieveCall'>): Promise<void> {
    return holdTransfer.retrieveCall(this.ctx, command);
  }

  transferCall(command: MessageOf<'TransferCall'>): Promise<void> {
    return holdTransfer.transferCall(this.ctx, command);
  }

  transferAnswered(channelId: string): Promise<void> {
    return holdTransfer.transferAnswered(this.ctx, channelId);
  }

  consultCall(command: MessageOf<'ConsultCall'>): Promise<void> {
    return consult.consultCall(this.ctx, command);
  }

  consultAnswered(channelId: string): Promise<void> {
    return consult.consultAnswered(this.ctx, channelId);
  }

  completeTransfer(command: MessageOf<'CompleteTransfer'>): Promise<void> {
    return consult.completeTransfer(this.ctx, command);
  }

  cancelConsult(command: MessageOf<'CancelConsult'>): Promise<void> {
    return consult.cancelConsult(this.ctx, command);
  }

  conferenceCall(command: MessageOf<'ConferenceCall'>): Promise<void> {
    return conference.conferenceCall(this.ctx, command);
  }

  recordCall(command: MessageOf<'RecordCall'>): Promise<void> {
    return recording.recordCall(this.ctx, command);
  }

  recordingEnded(name: string, durationSec: number | undefined, failed: boolean): Promise<void> {
    return recording.recordingEnded(this.ctx, name, durationSec, failed);
  }

  sweepRecordings(now: number, maxAgeMs: number): string[] {
    return recording.sweepRecordings(this.ctx, now, maxAgeMs);
  }

  clearCall(command: MessageOf<'ClearCall'>): Promise<void> {
    return release.clearCall(this.ctx, command);
  }

  channelDestroyed(channelId: string, cause: number, causeText: string, channelName?: string): Promise<void> {
    return release.channelDestroyed(this.ctx, channelId, cause, causeText, channelName);
  }

  resync(liveChannelIds: Set<string>): Promise<void> {
    return recovery.resync(this.ctx, liveChannelIds);
  }

  recover(live: LiveChannel[], bridges: LiveBridge[]): Promise<number> {
    return recovery.recover(this.ctx, live, bridges);
  }

  reportCalls(reason: 'requested' | 'resync'): Promise<void> {
    return recovery.reportCalls(this.ctx, reason);
  }

  get inFlight(): number {
    return this.serial.size;
  }
}
