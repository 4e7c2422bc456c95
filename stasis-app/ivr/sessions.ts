import type { Media } from '../../lib/messages';

export interface IvrSession {
  contactId: string;
  channelId: string;
  calledNumber: string;
  media: Media;
  startedAt: number;
  playbackId?: string;
}

/** Calls the IVR holds, by channel id; removed at StasisEnd, swept by age as a safety net. */
export class IvrSessions {
  private readonly sessions = new Map<string, IvrSession>();

  add(session: IvrSession): void {
    this.sessions.set(session.channelId, session);
  }

  get(channelId: string): IvrSession | undefined {
    return this.sessions.get(channelId);
  }

  remove(channelId: string): IvrSession | undefined {
    const s = this.sessions.get(channelId);
    this.sessions.delete(channelId);
    return s;
  }

  sweep(now: number, maxAgeMs: number): IvrSession[] {
    const stale = [...this.sessions.values()].filter((s) => now - s.startedAt > maxAgeMs);
    for (const s of stale) this.sessions.delete(s.channelId);
    return stale;
  }

  channelIds(): string[] {
    return [...this.sessions.keys()];
  }

  get size(): number {
    return this.sessions.size;
  }
}
