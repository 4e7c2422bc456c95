import type { Bus } from '../../lib/bus/bus';
import { EXCHANGES, routingKeys } from '../../lib/bus/topology';
import type { Logger } from '../../lib/log';
import { errorText } from '../../lib/log';
import { AddressDirectory, type QueueAddressing } from './addresses';

const RETRY_MS = 5_000;

/** ISAG's own queue of directory changes (exclusive: a stopped ISAG has no cache to refresh). */
export const isagConfigQueue = (instance: string) => `cc.isag.config.${instance}`;

/**
 * The address book (address -> queue) read from the queues in the store, kept in memory and read
 * again on every queue change the AS announces (ConfigChanged `config.queue` on cc.events), as the IVR
 * does with its flows. A failed reload keeps the last good book and is retried on the next change.
 */
export class QueueDirectory {
  private current = new AddressDirectory([]);
  private loading: Promise<void> | undefined;
  private reloadAgain = false;
  private retry: NodeJS.Timeout | undefined;
  private readonly listeners: Array<(book: AddressDirectory) => void> = [];

  constructor(
    private readonly load: () => Promise<QueueAddressing[]>,
    private readonly log: Logger,
  ) {}

  get(): AddressDirectory {
    return this.current;
  }

  /** Called with every book read from then on (the fax part keeps Asterisk's fax numbers from it). */
  onLoad(listener: (book: AddressDirectory) => void): void {
    this.listeners.push(listener);
  }

  /** Reads the queues now; concurrent calls share one read, and a change during it reads once more. */
  reload(): Promise<void> {
    if (this.loading !== undefined) {
      this.reloadAgain = true;
      return this.loading;
    }
    this.loading = this.readOnce().finally(() => {
      this.loading = undefined;
      if (this.reloadAgain) {
        this.reloadAgain = false;
        this.reload().catch((err: unknown) =>
          this.log.warn('queue addresses reload failed', { error: errorText(err) }),
        );
      }
    });
    return this.loading;
  }

  private async readOnce(): Promise<void> {
    const book = new AddressDirectory(await this.load());
    for (const c of book.conflicts)
      this.log.warn('address named by two queues; the first keeps it', {
        address: c.address,
        queues: c.queues,
      });
    this.current = book;
    this.log.info('queue addresses loaded', { addresses: book.size });
    for (const listener of this.listeners) listener(book);
  }

  private retryLater(): void {
    if (this.retry !== undefined) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.reload().catch((err: unknown) => {
        this.log.warn('queue addresses reload failed, retrying', { error: errorText(err) });
        this.retryLater();
      });
    }, RETRY_MS);
    this.retry.unref();
  }

  /** Subscribes to the AS's queue changes. */
  async follow(bus: Bus, instance: string): Promise<void> {
    await bus.consume({
      queue: isagConfigQueue(instance),
      exclusive: true,
      bindings: [{ exchange: EXCHANGES.events, pattern: routingKeys.config('queue') }],
      handle: async (message) => {
        if (message.type !== 'ConfigChanged') return;
        try {
          await this.reload();
        } catch (err) {
          // The message is still acknowledged: the store is down; the book is read again shortly.
          this.log.warn('queue addresses reload failed, retrying', { error: errorText(err) });
          this.retryLater();
        }
      },
    });
  }
}
