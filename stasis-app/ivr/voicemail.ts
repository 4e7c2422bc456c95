import type { Draft } from '../../lib/messages';

/** Asterisk's astspooldir/recording: where ARI stores recordings (SoftACD's default too). */
export const RECORDING_DIR = '/var/spool/asterisk/recording';

interface Pending {
  contactId: string;
  queue?: string;
  startedAt: number;
}

/**
 * Voicemails being recorded, by recording name, until ARI reports the recording's end: then the message
 * becomes a RecordingStored for the contact's interaction (kind `voicemail`, with the queue it was left
 * for), so an agent finds it in the history. The entry leaves on that end; `sweep` removes those whose
 * end never came (a lost event).
 */
export class VoicemailBook {
  private readonly pending = new Map<string, Pending>();

  started(name: string, contactId: string, queue: string | undefined, now = Date.now()): void {
    this.pending.set(name, { contactId, startedAt: now, ...(queue !== undefined && { queue }) });
  }

  /**
   * The recording ended: the message to publish, or undefined when it is not a voicemail of this
   * process or it failed (nothing was stored).
   */
  ended(
    name: string,
    durationSec: number | undefined,
    failed: boolean,
    now = Date.now(),
  ): Draft<'RecordingStored'> | undefined {
    const entry = this.pending.get(name);
    if (entry === undefined) return undefined;
    this.pending.delete(name);
    if (failed) return undefined;
    return {
      type: 'RecordingStored',
      contactId: entry.contactId,
      kind: 'voicemail',
      name,
      format: 'wav',
      durationSec: durationSec ?? Math.round((now - entry.startedAt) / 1000),
      path: `${RECORDING_DIR}/${name}.wav`,
      ...(entry.queue !== undefined && { queueId: entry.queue }),
    };
  }

  sweep(now: number, maxAgeMs: number): string[] {
    const stale = [...this.pending].filter(([, p]) => now - p.startedAt > maxAgeMs).map(([n]) => n);
    for (const name of stale) this.pending.delete(name);
    return stale;
  }

  get size(): number {
    return this.pending.size;
  }
}
