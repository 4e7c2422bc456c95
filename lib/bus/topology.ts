/**
 * Exchanges and queues, declared by every process on every (re)connect so any one can start first.
 * Events flow to CTI; commands are addressed to one instance of SoftACD or IVR (the one that owns the
 * call's channel on its Asterisk node); a message that fails validation or handling goes to the DLX
 * with its reason.
 */
export const EXCHANGES = {
  events: 'cc.events',
  commands: 'cc.commands',
  tasks: 'cc.tasks',
  deadLetter: 'cc.dlx',
} as const;

export const DEAD_LETTER_QUEUE = 'cc.dead-letter';
export const REASON_HEADER = 'x-ipcc-reason';

export const queues = {
  cti: 'cc.cti',
  softacd: (instance: string) => `cc.softacd.${instance}`,
  ivr: (instance: string) => `cc.ivr.${instance}`,
  /** The IVR's flow-cache invalidations (exclusive: a stopped IVR has no cache to invalidate). */
  ivrConfig: (instance: string) => `cc.ivr-config.${instance}`,
  /** The agents' PJSIP endpoints in Asterisk (stasis-app/provisioning). */
  provisioning: 'cc.provisioning',
  /** CTI's tasks to route: ISAG's TaskCreated and TaskUpdated on `cc.tasks` (docs/tasks.md). */
  ctiTasks: 'cc.cti-tasks',
  /** ISAG's replies to send: the AS's SendReply commands on `cc.commands`. */
  isagReplies: 'cc.isag.replies',
};

export const routingKeys = {
  event: (type: string) => `call.${type}`,
  agentEvent: (type: string) => `agent.${type}`,
  task: (type: string) => `task.${type}`,
  /** ISAG publishes these two; CTI binds `cc.cti-tasks` to them. */
  taskCreated: 'task.created',
  taskUpdated: 'task.updated',
  /** CTI publishes these on `cc.tasks` (ISAG consumes `task.completed`). */
  taskOffered: 'task.offered',
  taskAccepted: 'task.accepted',
  taskCompleted: 'task.completed',
  /** The AS's SendReply commands for ISAG, on `cc.commands`. */
  isagReply: 'isag.reply',
  softacd: (instance: string) => `softacd.${instance}`,
  ivr: (instance: string) => `ivr.${instance}`,
  /** Directory changes published by the AS (ConfigChanged), on `cc.events`. */
  config: (entity: string) => `config.${entity}`,
  /** Every IVR instance listens here; the one holding the channel acts. */
  ivrHandover: 'ivr.handover',
};

/** A durable queue with its bindings, as its consumer declares it. */
export interface SharedQueue {
  queue: string;
  bindings: Array<{ exchange: string; pattern: string }>;
}

/**
 * The durable queues of one consumer that another service publishes to. A topic exchange drops a
 * message no queue is bound for, and the publisher's confirm still comes: so the producer declares the
 * queue too (`Bus.declareQueue`), and whichever side starts first creates it.
 */
export const sharedQueues = {
  /** ISAG's replies to send; the AS publishes SendReply here. */
  isagReplies: {
    queue: queues.isagReplies,
    bindings: [{ exchange: EXCHANGES.commands, pattern: routingKeys.isagReply }],
  },
  /** CTI's tasks to route; ISAG publishes TaskCreated and TaskUpdated here. */
  ctiTasks: {
    queue: queues.ctiTasks,
    bindings: [
      { exchange: EXCHANGES.tasks, pattern: routingKeys.taskCreated },
      { exchange: EXCHANGES.tasks, pattern: routingKeys.taskUpdated },
    ],
  },
} satisfies Record<string, SharedQueue>;
