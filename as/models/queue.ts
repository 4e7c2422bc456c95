import { Schema, model, type InferSchemaType } from 'mongoose';
import { baseOptions, NAME_PATTERN } from './options';

export const SELECTION_POLICIES = ['longest-idle', 'least-calls', 'skill-level'] as const;
export const TIMEOUT_ACTIONS = ['voicemail', 'callback', 'release'] as const;

const queueSchema = new Schema(
  {
    /** Referenced by IVR flows (`queue` nodes) and shown to agents. */
    name: { type: String, required: true, unique: true, match: NAME_PATTERN },
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
    queueTimeoutSec: { type: Number, min: 10, max: 86_400, default: 300 },
    timeoutAction: { type: String, enum: TIMEOUT_ACTIONS, default: 'voicemail' },
    /**
     * Where CTI moves the contacts waiting in this queue when it is deleted (they keep their wait). None:
     * they get this queue's timeout action (`callback` becomes `voicemail`: the queue is gone).
     */
    fallbackQueue: { type: String, match: NAME_PATTERN },
    serviceLevelSec: { type: Number, min: 1, max: 3600, default: 20 },
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
