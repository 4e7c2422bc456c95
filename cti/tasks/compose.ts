import type { Db } from 'mongodb';
import type { Bus } from '../../lib/bus/bus';
import { EXCHANGES, routingKeys, sharedQueues } from '../../lib/bus/topology';
import type { DeferredWrites } from '../../lib/deferred-writes';
import type { KeyedSerial } from '../../lib/keyed-serial';
import type { Logger } from '../../lib/log';
import { makeMessage, type Message } from '../../lib/messages';
import type { CtiDomain } from '../domain';
import type { ContactOwners } from '../app/owners';
import type { RoutingService } from '../app/routing';
import type { InteractionStore } from '../store/interactions';
import { TaskBook, type StoredTask } from './book';
import type { TaskNotifier } from './messages';
import { TaskService, type TaskPublication } from './service';

const PUBLISHED_KEYS = new Map<TaskPublication['type'], string>([
  ['TaskOffered', routingKeys.taskOffered],
  ['TaskAccepted', routingKeys.taskAccepted],
  ['TaskCompleted', routingKeys.taskCompleted],
]);

export interface TaskWiring {
  domain: CtiDomain;
  owners: ContactOwners;
  /** Built after this (it takes the service as its task port): read when a command runs. */
  routing: () => RoutingService;
  interactions: InteractionStore;
  historyDb: Db;
  bus: Bus;
  source: { service: 'cti'; instance: string };
  /** Built after this: the agents' sockets. */
  gateway: () => TaskNotifier | undefined;
  defer: (write: Promise<unknown>) => void;
  log: Logger;
}

/** Task routing in CTI (docs/tasks.md): the service, and its consumer on `cc.cti-tasks`. */
export function taskRouting(w: TaskWiring) {
  const book = new TaskBook();
  const service = new TaskService({
    domain: w.domain,
    book,
    owners: w.owners,
    commands: {
      taskArrived: (contactId, queueId) => w.routing().taskArrived(contactId, queueId),
      answered: (contactId) => w.routing().answered(contactId),
      rejectTask: (contactId) => w.routing().rejectTask(contactId),
      completeTask: (contactId) => w.routing().completeTask(contactId),
    },
    storedState: async (contactId) => (await w.interactions.find(contactId))?.state,
    historyStored: (contactId) => w.interactions.written(contactId),
    record: (contactId, entry, set) => {
      w.defer(w.interactions.record(contactId, entry, set));
      return Promise.resolve();
    },
    notify: { toAgent: (agentId, message) => w.gateway()?.toAgent(agentId, message) },
    publish: (draft) =>
      w.bus.publish(
        EXCHANGES.tasks,
        PUBLISHED_KEYS.get(draft.type) ?? routingKeys.task('other'),
        makeMessage(w.source, draft),
      ),
    log: w.log,
  });

  /** After a restore: the restored tasks' details from their interactions (before any message). */
  const restore = async (): Promise<number> => {
    const ids = service.restoredIds();
    if (ids.length === 0) return 0;
    const docs = await w.historyDb
      .collection<StoredTask>('interactions')
      .find({ _id: { $in: ids } }, { projection: { channel: 1, from: 1, subject: 1, queueId: 1 } })
      .toArray();
    const missing = book.load(docs, ids);
    if (missing.length > 0)
      w.log.error('restored tasks without their interaction ended', { contacts: missing });
    // Nothing to show an agent: ended rather than offered for ever.
    for (const id of missing) await w.routing().ended(id);
    return ids.length - missing.length;
  };

  /**
   * ISAG's TaskCreated and TaskUpdated, from CTI's own durable queue, one at a time per contact (the call
   * path's `serial`). Each is acknowledged once its effect, its history and CTI's state are stored.
   */
  const consume = (turn: { serial: KeyedSerial; deferred: DeferredWrites; durable: () => Promise<void> }) =>
    w.bus.consume({
      ...sharedQueues.ctiTasks,
      prefetch: 100,
      handle: async (message) => {
        const { written } = await turn.serial.run(message.contactId, () =>
          turn.deferred.collect(() => handle(message)),
        );
        await Promise.all([written, turn.durable()]);
      },
    });
  const handle = async (message: Message): Promise<void> => {
    if (message.type === 'TaskCreated') await service.created(message);
    else if (message.type === 'TaskUpdated') service.updated(message);
    else w.log.warn('unexpected message on the task queue', { type: message.type });
  };

  return { book, service, restore, consume };
}
