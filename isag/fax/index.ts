import path from 'node:path';
import { env, envInt } from '../../lib/config';
import type { Logger } from '../../lib/log';
import { isagAriSettings } from '../core/ari';
import type { IsagContext, IsagPart } from '../core/part';
import { tiffToPdf } from './convert';
import { FAX_DIALPLAN_FILE } from './dialplan';
import { FaxDialplanSync, fileDialplanPorts } from './dialplan-sync';
import { receiveFax } from './receive';
import { FAX_WATCHER_DEFAULTS, FaxWatcher } from './watcher';

/**
 * Fax in (docs/fax.md): the dialplan receives the fax and leaves a TIFF and a status file in the spool;
 * this part turns each into a fax task through the core's intake. Registered in isag/main.ts.
 */
export const faxInbound: IsagPart = {
  name: 'fax',
  async start(ctx) {
    const log = ctx.log.child({ part: 'fax' });
    const convertOptions = {
      timeoutMs: envInt('ISAG_FAX_CONVERT_TIMEOUT_MS', 60_000),
      maxPdfBytes: ctx.settings.limits.attachmentMaxBytes,
    };
    const watcher = new FaxWatcher(
      {
        ...FAX_WATCHER_DEFAULTS,
        dir: ctx.settings.fax.spoolDir,
        pollMs: envInt('ISAG_FAX_POLL_MS', FAX_WATCHER_DEFAULTS.pollMs),
      },
      async (job) => {
        await receiveFax(job, {
          receive: (inbound) => ctx.intake.receive(inbound),
          markFailed: (id, reason) => ctx.store.markFailed(id, reason),
          convert: (tiff) => tiffToPdf(tiff, convertOptions),
          log,
        });
      },
      log,
    );
    await watcher.start();
    ctx.onStop(() => watcher.stop());
    keepFaxNumbers(ctx, log);
  },
};

/**
 * The fax numbers' dialplan follows the fax queues' addresses (docs/fax.md, "Fax numbers"): written at
 * once from the book read at start, then on every reload of it. Off where ISAG cannot reach Asterisk's
 * configuration (no ISAG_FAX_DIALPLAN_FILE nor IPCC_CHROOT, or ISAG_FAX_DIALPLAN_FILE=-): there
 * scripts/fax-numbers.ts writes the file.
 */
function keepFaxNumbers(ctx: IsagContext, log: Logger): void {
  const chroot = process.env.IPCC_CHROOT;
  const file = env(
    'ISAG_FAX_DIALPLAN_FILE',
    chroot === undefined ? '-' : path.join(chroot, 'etc/ipcc', FAX_DIALPLAN_FILE),
  );
  if (file === '-') {
    log.warn('fax numbers not kept in the dialplan: ISAG_FAX_DIALPLAN_FILE (or IPCC_CHROOT) needed');
    return;
  }
  // The run directory's copy is what scripts/asterisk.sh renders into Asterisk at its next start.
  const runDir = process.env.IPCC_RUN ?? path.resolve('.run');
  const sync = new FaxDialplanSync(
    fileDialplanPorts({ files: [file, path.join(runDir, FAX_DIALPLAN_FILE)], ari: isagAriSettings(), log }),
  );
  ctx.queues.onLoad((book) => sync.update(book.addresses('fax')));
  sync.update(ctx.queues.get().addresses('fax'));
  ctx.onStop(() => sync.stop());
}
