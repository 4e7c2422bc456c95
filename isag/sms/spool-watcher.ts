import type { Logger } from '../../lib/log';
import { SpoolReader, type SpoolOutcome, type SpoolReaderOptions } from '../core/spool-reader';
import { MAX_SPOOL_BYTES, type SpooledMessage, isSpoolEntryName, parseSpoolEntry } from './spool-file';

/** One spooled SIP MESSAGE: its file name and what it says (the line itself is kept as the raw form). */
export interface SpoolEntry {
  name: string;
  message: SpooledMessage;
  raw: Buffer;
}

/**
 * Stores the message (a duplicate counts as stored) and says so, or says why it is no SMS of ours (the
 * file is set aside); throws when it cannot store now (the file stays and is tried again).
 */
export type SpoolHandler = (entry: SpoolEntry) => Promise<SpoolOutcome>;

/** `parallel`: entries handled at once (the service keeps one customer's messages in order). */
export type SmsSpoolOptions = SpoolReaderOptions;

export const SMS_SPOOL_DEFAULTS: Omit<SmsSpoolOptions, 'dir'> = {
  pollMs: 2_000,
  incompleteMs: 60_000,
  maxRetryMs: 60_000,
  parallel: 8,
};

/**
 * Picks up the SIP MESSAGEs the dialplan spools (asterisk/snippets/extensions_ipcc_sms.conf), one file
 * an entry named by isSpoolEntryName, through the core's spool reader (isag/core/spool-reader.ts): in
 * name order (arrival order), up to `parallel` at a time, each file removed only after the handler
 * stored its message. A crash between the store and the removal hands it over again, and the store
 * finds it by Call-ID/CSeq (a duplicate). A file that is not ours, or no SMS, goes into `rejected/`.
 */
export class SmsSpoolWatcher extends SpoolReader<SpooledMessage> {
  constructor(options: SmsSpoolOptions, handle: SpoolHandler, log: Logger, now?: () => number) {
    super(
      options,
      {
        prefix: 'sms',
        suffix: '.sms',
        entryId: (name) => (isSpoolEntryName(name) ? name : undefined),
        files: (name) => [name],
        maxBytes: MAX_SPOOL_BYTES,
        // latin1: every byte kept as one character, so the size check sees the file's own length.
        parse: (raw) => {
          const parsed = parseSpoolEntry(raw.toString('latin1'));
          return parsed.kind === 'ok' ? { kind: 'ok', value: parsed.message } : parsed;
        },
        log: {
          watching: 'sms: watching the SIP MESSAGE spool',
          notStored: 'sms: SIP MESSAGE not stored yet; its spool file stays and is tried again',
          refused: 'sms: SIP MESSAGE spool file refused, moved to rejected/',
          idField: 'file',
          tooLarge: (bytes) => `file of ${bytes} bytes`,
          neverFinished: 'never finished',
        },
      },
      (item) => handle({ name: item.id, message: item.value, raw: item.raw }),
      log,
      now,
    );
  }
}
