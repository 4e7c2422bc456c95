import type { Bus } from '../lib/bus/bus';
import { Logger, errorText } from '../lib/log';

/** SIGTERM/SIGINT: stop the periodic sweep, leave ARI, close RabbitMQ (unconfirmed publishes settle), exit. */
export function stopOnSignal(log: Logger, events: { stop(): void }, bus: Bus, sweep: NodeJS.Timeout): void {
  const stop = () => {
    log.info('stopping');
    clearInterval(sweep);
    events.stop();
    bus.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

/** The entry point's own failure handling: an unhandled rejection is logged, a failed start exits 1. */
export function runMain(log: Logger, what: string, main: () => Promise<void>): void {
  process.on('unhandledRejection', (err) => log.error('unhandled rejection', { error: errorText(err) }));
  main().catch((err: unknown) => {
    log.error(`${what} failed to start`, { error: errorText(err) });
    process.exit(1);
  });
}
