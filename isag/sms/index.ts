import { errorText } from '../../lib/log';
import { IsagAri, ariRequests, isagAriSettings } from '../core/ari';
import type { IsagPart } from '../core/part';
import type { ReplySenders } from '../core/replies';
import { consumeCompletions } from './completed';
import { loadSmsConfig } from './config';
import { smsTransports } from './outbound';
import { smsRoutes } from './routes';
import { smsReplySender } from './sender';
import { SmsService } from './service';
import { sipMessageApp, sipSpoolHandler } from './sip';
import { SMS_SPOOL_DEFAULTS, SmsSpoolWatcher } from './spool-watcher';
import { SmsStore } from './store';

/**
 * SMS (docs/sms.md): the webhooks on ISAG's HTTP server, SIP MESSAGE through Asterisk (the dialplan's
 * spool in, ISAG's own ARI connection out), the conversation's end on TaskCompleted, and the reply
 * sender for the `webhook` and `sip` paths. One line in isag/main.ts: `smsPart(senders)`, before the replies part.
 */
export function smsPart(senders: ReplySenders): IsagPart {
  return {
    name: 'sms',
    checks: ['ari'],
    async start(ctx) {
      const log = ctx.log.child({ part: 'sms' });
      const config = loadSmsConfig();
      const store = new SmsStore(ctx.db);
      const ariSettings = isagAriSettings();
      const send = smsTransports(config, ariRequests(ariSettings));
      const service = new SmsService({
        intake: ctx.intake,
        store,
        send,
        texts: { stop: config.stopText, start: config.startText },
        log,
      });
      ctx.http.route(smsRoutes(service, config, log));
      await consumeCompletions(ctx.bus, store, log);
      const sender = smsReplySender({ store, send });
      senders.register('webhook', sender);
      senders.register('sip', sender);

      // What the dialplan spooled while ISAG was down (or killed) is read before anything else.
      const spool = new SmsSpoolWatcher(
        { ...SMS_SPOOL_DEFAULTS, dir: config.spoolDir, pollMs: config.spoolPollMs },
        sipSpoolHandler(service, log),
        log,
      );
      await spool.start();
      ctx.onStop(() => spool.stop());

      // Asterisk is not waited for: the webhooks, e-mail and the spool work while it is away;
      // readiness `ari` says whether SIP replies can leave.
      const ariUp = ctx.flag('ari');
      let ari: IsagAri | undefined;
      const sip = async () => {
        ari = await IsagAri.connect(ariSettings, log);
        ari.watch((up) => ariUp.set(up));
        ari.add(sipMessageApp(ari, config, log));
        await ari.start();
      };
      sip().catch((err: unknown) => log.error('sms: SIP MESSAGE not started', { error: errorText(err) }));
      ctx.onStop(() => ari?.stop() ?? Promise.resolve());
      log.info('sms: webhooks /sms/inbound and /sms/twilio; SIP MESSAGE from the spool', {
        app: config.app,
        spool: config.spoolDir,
      });
    },
  };
}
