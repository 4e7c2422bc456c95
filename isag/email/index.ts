import { tlsFromEnv } from '../../lib/tls-files';
import type { IsagPart } from '../core/part';
import { receiveEmail } from './receive';
import { InboundSmtp } from './smtp-server';

/**
 * E-mail in: the SMTP server (ISAG_SMTP_*), STARTTLS with ISAG_TLS_CERT / ISAG_TLS_KEY (services.sh
 * gives it the project's generated pair unless one is set), readiness `smtp` while it listens.
 */
export const emailInbound: IsagPart = {
  name: 'email-inbound',
  checks: ['smtp'],
  async start(ctx) {
    const { smtp } = ctx.settings;
    const tls = tlsFromEnv('ISAG');
    const smtpUp = ctx.flag('smtp');
    const server = new InboundSmtp({
      host: smtp.host,
      port: smtp.port,
      name: smtp.name,
      domains: smtp.domains,
      maxMessageBytes: smtp.maxMessageBytes,
      maxClients: smtp.maxClients,
      tls,
      log: ctx.log,
      receive: (raw, envelope) =>
        receiveEmail(raw, envelope, { intake: ctx.intake, store: ctx.store, log: ctx.log }),
    });
    await server.listen();
    smtpUp.set(true);
    ctx.onStop(async () => {
      smtpUp.set(false);
      await server.close();
    });
    ctx.log.info('smtp listening', {
      address: `${smtp.host}:${server.port}`,
      domains: smtp.domains,
      maxMessageBytes: smtp.maxMessageBytes,
      starttls: tls === undefined ? 'off' : tls.names,
    });
  },
};
