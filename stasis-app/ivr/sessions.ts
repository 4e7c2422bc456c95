import type { FlowGraph } from '../../lib/flow/flow';
import type { Media } from '../../lib/messages';
import type { VideoCodec } from '../media';
import type { IvrTag } from './call-tag';
import { type MachineState, initialState } from './flow-machine';

export interface IvrSession {
  contactId: string;
  channelId: string;
  calledNumber: string;
  callingNumber: string;
  media: Media;
  startedAt: number;
  /** Set once the flow is loaded; events before that are dropped (the call is being answered). */
  flow?: FlowGraph;
  state: MachineState;
  /** Live timers by the machine's timer id; all cleared when the call leaves. */
  timers: Map<string, NodeJS.Timeout>;
  /** The video codec the caller negotiated: prompts come from that codec's directory. */
  videoCodec?: VideoCodec;
  /** The ARI id of the last prompt started, stopped before the call is handed over to an agent. */
  lastPlaybackId?: string;
  /** What is written on the channel for a restarted IVR (call-tag.ts). */
  tag?: IvrTag;
}

export type NewSession = Omit<IvrSession, 'state' | 'timers' | 'flow'>;

/**
 * Calls the IVR holds, by channel id (ARI events) and by contact id (CTI's commands). Removed at
 * StasisEnd, swept by age as a safety net; removing a session clears its timers.
 */
export class IvrSessions {
  private readonly byChannel = new Map<string, IvrSession>();
  private readonly byContact = new Map<string, string>();

  add(fields: NewSession): IvrSession {
    const session: IvrSession = { ...fields, state: initialState(), timers: new Map() };
    this.byChannel.set(session.channelId, session);
    this.byContact.set(session.contactId, session.channelId);
    return session;
  }

  get(channelId: string): IvrSession | undefined {
    return this.byChannel.get(channelId);
  }

  forContact(contactId: string): IvrSession | undefined {
    const channelId = this.byContact.get(contactId);
    return channelId === undefined ? undefined : this.byChannel.get(channelId);
  }

  remove(channelId: string): IvrSession | undefined {
    const s = this.byChannel.get(channelId);
    if (s === undefined) return undefined;
    this.byChannel.delete(channelId);
    if (this.byContact.get(s.contactId) === channelId) this.byContact.delete(s.contactId);
    for (const t of s.timers.values()) clearTimeout(t);
    s.timers.clear();
    return s;
  }

  sweep(now: number, maxAgeMs: number): IvrSession[] {
    const stale = [...this.byChannel.values()].filter((s) => now - s.startedAt > maxAgeMs);
    for (const s of stale) this.remove(s.channelId);
    return stale;
  }

  channelIds(): string[] {
    return [...this.byChannel.keys()];
  }

  get size(): number {
    return this.byChannel.size;
  }
}
