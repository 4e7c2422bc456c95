import type { Db } from 'mongodb';
import type { Bus } from '../../lib/bus/bus';
import type { IsagSettings } from '../../lib/config';
import type { Logger } from '../../lib/log';
import type { ReadinessFlag } from '../../lib/ops/readiness';
import type { IsagHttp } from './http';
import type { Intake } from './intake';
import type { TaskOutbox } from './outbox';
import type { QueueDirectory } from './queue-directory';
import type { IsagStore } from './store';

/**
 * What a channel part of ISAG gets (isag/main.ts builds it): the shared core and the adapters every
 * part may use. A part constructs nothing of the core itself.
 */
export interface IsagContext {
  settings: IsagSettings;
  instanceId: string;
  log: Logger;
  bus: Bus;
  /** The store's database (mongodb driver), for a part's own collections (e.g. `smsOptOuts`). */
  db: Db;
  store: IsagStore;
  /** Receipt of inbound messages: quarantine, or store + interaction + outbox record. */
  intake: Intake;
  outbox: TaskOutbox;
  /** Address -> queue, kept current with the AS's queue changes. */
  queues: QueueDirectory;
  /** ISAG's HTTP listener: add routes in `start`; it opens once every part has started. */
  http: IsagHttp;
  /**
   * The /health/ready flag of a dependency the part declared in `checks` (down until set up). Declared
   * flags exist from the process's first moment, so ISAG is never "ready" before its parts are.
   */
  flag(name: string): ReadinessFlag;
  /** Called on SIGTERM, in reverse order of registration, before the bus and store close. */
  onStop(stop: () => Promise<void>): void;
}

/** One channel or function of ISAG (e-mail inbound, SMS, fax, replies): registered in isag/main.ts. */
export interface IsagPart {
  name: string;
  /** Dependencies it reports in /health/ready (e.g. `smtp`). */
  checks?: readonly string[];
  start(ctx: IsagContext): Promise<void>;
}
