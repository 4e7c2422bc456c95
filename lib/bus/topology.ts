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
};

export const routingKeys = {
  event: (type: string) => `call.${type}`,
  agentEvent: (type: string) => `agent.${type}`,
  task: (type: string) => `task.${type}`,
  softacd: (instance: string) => `softacd.${instance}`,
  ivr: (instance: string) => `ivr.${instance}`,
  /** Directory changes published by the AS (ConfigChanged), on `cc.events`. */
  config: (entity: string) => `config.${entity}`,
  /** Every IVR instance listens here; the one holding the channel acts. */
  ivrHandover: 'ivr.handover',
};
