import { Schema, model, type InferSchemaType } from 'mongoose';
import { baseOptions, NAME_PATTERN } from './options';

export const SELECTION_POLICIES = ['longest-idle', 'least-calls', 'skill-level'] as const;
export const TIMEOUT_ACTIONS = ['voicemail', 'callback', 'release'] as const;
/** A voice queue takes video calls too; the others queue tasks (ISAG's e-mail, SMS and fax). */
export const QUEUE_CHANNELS = ['voice', 'email', 'sms', 'fax'] as const;
export type QueueChannel = (typeof QUEUE_CHANNELS)[number];
/** A task's service level is counted in hours: up to 7 days. */
export const MAX_TASK_SERVICE_LEVEL_SEC = 604_800;
export const MAX_CALL_SERVICE_LEVEL_SEC = 3600;
export const MAX_ADDRESS_LENGTH = 254;

function isTaskQueue(doc: unknown): boolean {
  const channel = (doc as { channel?: string } | null)?.channel;
  return channel !== undefined && channel !== 'voice';
}

const queueSchema = new Schema(
  {
    /** Referenced by IVR flows (`queue` nodes) and shown to agents. */
    name: { type: String, required: true, unique: true, match: NAME_PATTERN },
    channel: { type: String, enum: QUEUE_CHANNELS, default: 'voice' },
    /**
     * The e-mail addresses, SMS numbers or fax numbers whose contacts enter this queue (ISAG looks them
     * up); unique across queues (the admin service checks it: a multikey unique index would also refuse
     * two queues without addresses).
     */
    addresses: {
      type: [{ type: String, minlength: 1, maxlength: MAX_ADDRESS_LENGTH }],
      default: [],
      validate: {
        validator: (v: string[]) => v.length <= 50 && new Set(v).size === v.length,
        message: 'at most 50 addresses, each once',
      },
    },
    skills: {
      type: [
        new Schema(
          {
            name: { type: String, required: true, match: NAME_PATTERN },
            minLevel: { type: Number, required: true, min: 1, max: 10 },
          },
          { _id: false },
        ),
      ],
      default: [],
    },
    priority: { type: Number, min: 0, max: 100, default: 0 },
    selectionPolicy: { type: String, enum: SELECTION_POLICIES, default: 'longest-idle' },
    ringTimeoutSec: { type: Number, min: 5, max: 300, default: 20 },
    wrapUpSec: { type: Number, min: 0, max: 3600, default: 10 },
    /**
     * 0: no timeout, for task queues (a message waits until an agent takes it). The admin service holds
     * voice queues to 10 s and up, and their service level to an hour (as/plugins/admin/queues).
     */
    queueTimeoutSec: {
      type: Number,
      min: 0,
      max: 86_400,
      default(this: unknown) {
        return isTaskQueue(this) ? 0 : 300;
      },
    },
    timeoutAction: { type: String, enum: TIMEOUT_ACTIONS, default: 'voicemail' },
    /**
     * Where CTI moves the contacts waiting in this queue when it is deleted (they keep their wait). None:
     * they get this queue's timeout action (`callback` becomes `voicemail`: the queue is gone).
     */
    fallbackQueue: { type: String, match: NAME_PATTERN },
    /** Answered within this many seconds; a task queue's threshold is hours (up to 7 days). */
    serviceLevelSec: {
      type: Number,
      min: 1,
      max: MAX_TASK_SERVICE_LEVEL_SEC,
      default(this: unknown) {
        return isTaskQueue(this) ? 14_400 : 20;
      },
    },
    /** Prompt names played while waiting. */
    media: {
      music: { type: String, match: NAME_PATTERN },
      video: { type: String, match: NAME_PATTERN },
    },
    recording: { type: Boolean, default: false },
    createdAt: { type: Date, default: () => new Date() },
    updatedAt: { type: Date, default: () => new Date() },
  },
  { ...baseOptions, collection: 'queues' },
);

export type QueueData = InferSchemaType<typeof queueSchema>;
export const Queue = model('Queue', queueSchema);
