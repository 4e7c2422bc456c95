import type { Logger } from '../../lib/log';
import { OutboxSweeper, type SweepOptions, type SweepStore } from '../../lib/outbox/sweeper';
import type { Message, Source } from '../../lib/messages';

/** A command as it is published: where to, and the whole bus message. */
export interface Command {
  exchange: string;
  routingKey: string;
  message: Message;
}

export interface CommandRecord extends Command {
  createdAt: Date;
}

/** Where command records live (as/outbox/command-store.ts on the document store; a Map in unit tests). */
export interface CommandStore extends SweepStore<CommandRecord> {
  insert(command: Command, at: Date): Promise<void>;
}

/** Resolves once the broker confirmed the message (publisher confirms). */
export type PublishCommand = (command: Command) => Promise<void>;

export type CommandOutboxOptions = SweepOptions;

export const DEFAULT_COMMAND_OPTIONS: CommandOutboxOptions = {
  graceMs: 5_000,
  sweepMs: 2_000,
  keepMs: 3_600_000,
  publishWaitMs: 2_000,
};

/**
 * The outbox of commands (the directory changes' outbox, as/outbox/outbox.ts, carries no data; a command
 * does). The store has no transactions, so:
 * 1. the record, holding the whole message, is written *before* the data the command refers to;
 * 2. the data is written (an agent's reply);
 * 3. the record is published (publisher confirms) and marked sent, unless step 2 failed.
 * A crash between 1 and 3 leaves the record pending; the sweep publishes it after `graceMs`. Its consumer
 * must therefore take a command whose data is missing as a no-op (ISAG logs a SendReply for an unknown
 * message and acknowledges it) and a command delivered twice as one (ISAG does not send a `sent` reply
 * again). A write that failed is not published at once: the sweep still may, harmlessly.
 */
export class CommandOutbox {
  private readonly sweeper: OutboxSweeper<Command>;

  constructor(
    private readonly store: CommandStore,
    log: Logger,
    publish: PublishCommand | undefined,
    /** The sender named in the commands' envelopes. */
    readonly source: Source,
    options: Partial<CommandOutboxOptions> = {},
  ) {
    const subject = { name: 'command outbox', what: 'commands', id: commandId, fields: commandFields };
    this.sweeper = new OutboxSweeper<Command>(store, publish, log, subject, {
      ...DEFAULT_COMMAND_OPTIONS,
      ...options,
    });
  }

  /** Runs `write` between the record and its publish; answers `write`'s result. */
  async send<T>(command: Command, write: () => Promise<T>): Promise<T> {
    await this.store.insert(command, this.sweeper.now());
    const result = await write();
    await this.sweeper.publishNow(command);
    return result;
  }

  start(): void {
    this.sweeper.start();
  }

  stop(): Promise<void> {
    return this.sweeper.stop();
  }

  /** Publishes every pending record past its grace, oldest first; answers how many went out. */
  sweep(): Promise<number> {
    return this.sweeper.sweep();
  }
}

function commandId(command: Command): string {
  return command.message.id;
}

function commandFields(command: Command) {
  return { commandId: command.message.id, type: command.message.type, contactId: command.message.contactId };
}
