import Hapi from '@hapi/hapi';
import { type Logger, errorText } from '../../lib/log';

/**
 * ISAG's HTTP listener (ISAG_HTTP_PORT, loopback by default): the SMS providers' webhooks and any other
 * route a channel part adds through `route()` before `start()`. Health and metrics are on the ops port
 * (lib/ops), as for every process. Payloads are small: a webhook carries a text message.
 */
export class IsagHttp {
  readonly server: Hapi.Server;

  constructor(options: { host: string; port: number; log: Logger; maxPayloadBytes?: number }) {
    this.server = Hapi.server({
      host: options.host,
      port: options.port,
      router: { stripTrailingSlash: true },
      routes: {
        payload: { maxBytes: options.maxPayloadBytes ?? 64 * 1024 },
        security: { noSniff: true, xframe: 'deny', referrer: 'no-referrer', hsts: false },
      },
    });
    this.server.events.on({ name: 'request', channels: 'error' }, (request, event) => {
      options.log.error('isag http request failed', {
        path: request.path,
        error: errorText(event.error),
      });
    });
  }

  /** Adds routes; call before `start()`. */
  route(routes: Hapi.ServerRoute | Hapi.ServerRoute[]): void {
    this.server.route(routes);
  }

  async start(): Promise<string> {
    await this.server.start();
    return this.server.info.uri;
  }

  async stop(): Promise<void> {
    await this.server.stop({ timeout: 5_000 });
  }
}
