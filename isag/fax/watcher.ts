import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../../lib/log';
import { SpoolReader, type SpoolFormat } from '../core/spool-reader';
import { type FaxReport, MAX_STATUS_BYTES, parseStatus, spoolFileId } from './status-file';

/** One received fax as the spool holds it: the status file is the unit of work. */
export interface FaxJob {
  id: string;
  report: FaxReport;
  tiffPath: string;
}

/** Stores the fax and its task; resolves once stored (a duplicate included), throws to be tried again. */
export type FaxJobHandler = (job: FaxJob) => Promise<void>;

export interface FaxWatcherOptions {
  dir: string;
  /** The safety net beside fs.watch (which can miss events, e.g. on some network file systems). */
  pollMs: number;
  /** A status file still without its `end=1` after this long was never finished: set aside. */
  incompleteMs: number;
  /** A TIFF without a status file after this long is an orphan (its job was done): removed. */
  orphanMs: number;
  /** The longest wait before a failed job is tried again (doubling from pollMs). */
  maxRetryMs: number;
}

export const FAX_WATCHER_DEFAULTS: Omit<FaxWatcherOptions, 'dir'> = {
  pollMs: 2_000,
  incompleteMs: 60_000,
  orphanMs: 24 * 3600_000,
  maxRetryMs: 60_000,
};

/**
 * Picks up the status files the dialplan writes into the fax spool (asterisk/snippets/extensions_ipcc_fax.conf)
 * through the core's spool reader (isag/core/spool-reader.ts). Jobs run one at a time (docs/fax.md: the
 * look-up of the stored fax and the store that follows cannot race). A job's files are removed only
 * after the handler stored it, the status file first (the unit of work: without it nothing is done
 * again), then the TIFF; a crash between the store and the removal runs the job again, and the
 * handler's store finds it already there (idempotent by UNIQUEID). A status file that is not ours is
 * moved into `rejected/` with its TIFF. A TIFF left without a status file is removed once `orphanMs` old.
 */
export class FaxWatcher extends SpoolReader<FaxReport> {
  constructor(
    options: FaxWatcherOptions,
    handle: FaxJobHandler,
    log: Logger,
    now: () => number = () => Date.now(),
  ) {
    super(
      { ...options, parallel: 1 },
      faxSpool(options, log, now),
      async (item) => {
        const tiffPath = path.join(options.dir, `${item.id}.tif`);
        await handle({ id: item.id, report: item.value, tiffPath });
        return { kind: 'stored' };
      },
      log,
      now,
    );
  }
}

function faxSpool(options: FaxWatcherOptions, log: Logger, now: () => number): SpoolFormat<FaxReport> {
  const removeOrphan = async (name: string): Promise<void> => {
    const file = path.join(options.dir, name);
    const info = await stat(file).catch(() => undefined);
    if (info === undefined || now() - info.mtimeMs < options.orphanMs) return;
    await rm(file, { force: true });
    log.warn('fax: removed a TIFF without a status file', { file: name, ageMs: now() - info.mtimeMs });
  };
  return {
    prefix: 'fax',
    suffix: '.status',
    entryId: (name) => spoolFileId(name, '.status'),
    files: (id) => [`${id}.status`, `${id}.tif`],
    maxBytes: MAX_STATUS_BYTES,
    parse: (raw, id) => {
      const parsed = parseStatus(raw.toString('utf8'));
      if (parsed.kind !== 'ok') return parsed;
      // The TIFF's name comes from the file name, never from what the file says.
      if (parsed.report.uniqueId !== id)
        return { kind: 'invalid', reason: `names ${parsed.report.uniqueId}, not its own file` };
      return { kind: 'ok', value: parsed.report };
    },
    afterScan: async (names, ids) => {
      for (const name of names) {
        const id = spoolFileId(name, '.tif');
        if (id !== undefined && !ids.has(id)) await removeOrphan(name);
      }
    },
    log: {
      watching: 'fax: watching the spool',
      notStored: 'fax: not stored yet; the files stay and are tried again',
      refused: 'fax: status file refused, moved to rejected/',
      idField: 'uniqueId',
      tooLarge: (bytes) => `status file of ${bytes} bytes`,
      neverFinished: 'status file never finished',
    },
  };
}
