import type { Media, MessageOf } from '../../lib/messages';
import { CallEvent, CallState, nextCallState } from './call-state';

export interface Call {
  contactId: string;
  channelId: string;
  calledNumber: string;
  callingNumber: string;
  media: Media;
  state: CallState;
  createdAt: number;
  /** Set when this side decided the release (a CTI command), so the release is not blamed on the caller. */
  releasedBy?: 'caller' | 'agent' | 'system';
  agentChannelId?: string;
  agentId?: string;
  bridgeId?: string;
  /** The name of the call's recording, while one runs (its snoop channel is `<contactId>-snoop`). */
  recording?: string;
  /** A blind transfer to an agent or a number in progress: who transferred, where, where to fall back. */
  transfer?: {
    by: string;
    target: Exclude<MessageOf<'TransferCall'>['target'], { kind: 'queue' }>;
    fallbackQueueId?: string;
  };
  /**
   * A callback CTI asked for: the agent is called first, then the customer (whose leg is `channelId`,
   * named before it exists). Absent for calls that came in.
   */
  callback?: { number: string; endpoint: string; ringTimeoutSec: number; callerId?: string };
  /** An attended transfer's consultation: the target's leg and the agent-target bridge. */
  consult?: {
    by: string;
    target: Exclude<MessageOf<'TransferCall'>['target'], { kind: 'queue' }>;
    channelId: string;
    bridgeId: string;
    answered: boolean;
  };
  /** A take-back in progress (ReconnectAgent): the agent's new leg, ringing until it answers. */
  reconnect?: { channelId: string; agentId: string };
  /** A flow editor's test call: a route to the IVR runs the draft stored under this id (test-call.ts). */
  flowTestCallId?: string;
  /** A three-way conference: the third party's leg, in the call's bridge with caller and agent. */
  conference?: {
    by: string;
    target: Exclude<MessageOf<'TransferCall'>['target'], { kind: 'queue' }>;
    channelId: string;
  };
}

/**
 * The calls this SoftACD owns, by caller channel id and by contact id. Entries leave on the terminal
 * event; `sweep` is the safety net for a terminal event that never came (a lost WebSocket message).
 */
export class CallRegistry {
  private readonly byChannel = new Map<string, Call>();
  private readonly byContact = new Map<string, Call>();

  add(call: Call): void {
    this.byChannel.set(call.channelId, call);
    this.byContact.set(call.contactId, call);
  }

  /** The agent's leg is looked up like the caller's: a hang-up on either side finds the call. */
  attachAgentLeg(call: Call, channelId: string, agentId: string): void {
    call.agentChannelId = channelId;
    call.agentId = agentId;
    this.byChannel.set(channelId, call);
  }

  detachAgentLeg(call: Call): void {
    if (call.agentChannelId !== undefined) this.byChannel.delete(call.agentChannelId);
    delete call.agentChannelId;
    delete call.agentId;
  }

  /** A further leg of the call (a consulted target): found by channel like the others. */
  attachLeg(call: Call, channelId: string): void {
    this.byChannel.set(channelId, call);
  }

  detachLeg(channelId: string): void {
    this.byChannel.delete(channelId);
  }

  byChannelId(channelId: string): Call | undefined {
    return this.byChannel.get(channelId);
  }

  byContactId(contactId: string): Call | undefined {
    return this.byContact.get(contactId);
  }

  apply(call: Call, event: CallEvent): CallState {
    call.state = nextCallState(call.state, event);
    return call.state;
  }

  remove(call: Call): void {
    this.byChannel.delete(call.channelId);
    if (call.agentChannelId !== undefined) this.byChannel.delete(call.agentChannelId);
    if (call.consult !== undefined) this.byChannel.delete(call.consult.channelId);
    if (call.conference !== undefined) this.byChannel.delete(call.conference.channelId);
    if (call.reconnect !== undefined) this.byChannel.delete(call.reconnect.channelId);
    this.byContact.delete(call.contactId);
  }

  sweep(now: number, maxAgeMs: number): Call[] {
    const stale = [...this.byContact.values()].filter((c) => now - c.createdAt > maxAgeMs);
    for (const call of stale) this.remove(call);
    return stale;
  }

  get size(): number {
    return this.byContact.size;
  }

  all(): Call[] {
    return [...this.byContact.values()];
  }
}
