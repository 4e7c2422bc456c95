import { contactLogger } from '../../lib/log';
import type { MessageOf } from '../../lib/messages';
import { type CallContext, snoopId } from './call-context';
import { verdict } from './call-guards';

/** Call recording: one recording per call through a snoop channel, reported to CTI when it ends. */

/**
 * The queue records its calls: both directions of the caller's channel, from Established until the
 * caller leaves (through holds and transfers: one recording per call).
 */
export function recordCall(ctx: CallContext, command: MessageOf<'RecordCall'>): Promise<void> {
  return ctx.serial.run(command.contactId, async () => {
    const call = ctx.calls.byContactId(command.contactId);
    const log = contactLogger(ctx.ports.log, command.contactId);
    if (call === undefined || call.bridgeId === undefined || verdict('RecordCall', call) !== 'record') {
      log.warn('record refused: no bridged call', { state: call?.state });
      return;
    }
    if (call.recording !== undefined) {
      log.info('already recording', { name: call.recording });
      return;
    }
    const name = `${call.contactId}-${Date.now().toString(36)}`;
    ctx.recordings.set(name, { contactId: call.contactId, format: command.format, startedAt: Date.now() });
    call.recording = name;
    const started = await ctx.ports.callMedia.recordChannel({
      channelId: call.channelId,
      snoopId: snoopId(call),
      app: ctx.ports.softacdApp,
      appArgs: ['snoop', call.contactId],
      name,
      format: command.format,
    });
    if (!started) {
      ctx.recordings.delete(name);
      log.info('caller gone before recording started');
      return;
    }
    log.info('recording', { name, format: command.format });
  });
}

/** ARI RecordingFinished/RecordingFailed: the metadata goes to CTI, the entry leaves. */
export function recordingEnded(
  ctx: CallContext,
  name: string,
  durationSec: number | undefined,
  failed: boolean,
): Promise<void> {
  const rec = ctx.recordings.get(name);
  if (rec === undefined) return Promise.resolve();
  ctx.recordings.delete(name);
  const log = contactLogger(ctx.ports.log, rec.contactId);
  if (failed) {
    log.warn('recording failed', { name });
    return Promise.resolve();
  }
  const dir = ctx.ports.recordingDir ?? '/var/spool/asterisk/recording';
  return ctx.ports.emit<'RecordingStored'>({
    type: 'RecordingStored',
    contactId: rec.contactId,
    name,
    format: rec.format,
    durationSec: durationSec ?? Math.round((Date.now() - rec.startedAt) / 1000),
    path: `${dir}/${name}.${rec.format}`,
  });
}

/** Recordings whose end never arrived (a lost event) leave after `maxAgeMs`. */
export function sweepRecordings(ctx: CallContext, now: number, maxAgeMs: number): string[] {
  const stale = [...ctx.recordings].filter(([, r]) => now - r.startedAt > maxAgeMs).map(([n]) => n);
  for (const name of stale) ctx.recordings.delete(name);
  return stale;
}
