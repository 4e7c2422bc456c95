import Joi from 'joi';
import {
  MAX_ADDRESS_LENGTH,
  MAX_TASK_SERVICE_LEVEL_SEC,
  QUEUE_CHANNELS,
  SELECTION_POLICIES,
  TIMEOUT_ACTIONS,
} from '../../../models';
import { name, queueRef, text } from '../../../http/validation';

const int = (min: number, max: number) => Joi.number().integer().min(min).max(max);

const fields = {
  name,
  channel: Joi.string().valid(...QUEUE_CHANNELS),
  /** E-mail addresses, SMS or fax numbers (ISAG routes by them); the service checks them per channel. */
  addresses: Joi.array().items(text(MAX_ADDRESS_LENGTH).min(1)).max(50).unique(),
  skills: Joi.array()
    .items(Joi.object({ name: name.required(), minLevel: int(1, 10).required() }))
    .max(20)
    .unique('name'),
  priority: int(0, 100),
  selectionPolicy: Joi.string().valid(...SELECTION_POLICIES),
  ringTimeoutSec: int(5, 300),
  wrapUpSec: int(0, 3600),
  // Channel rules (voice: 10 s and up, service level up to an hour) are checked by the service, which
  // knows the stored channel of a queue being updated.
  queueTimeoutSec: int(0, 86_400),
  timeoutAction: Joi.string().valid(...TIMEOUT_ACTIONS),
  fallbackQueue: name,
  serviceLevelSec: int(1, MAX_TASK_SERVICE_LEVEL_SEC),
  media: Joi.object({ music: name, video: name }),
  recording: Joi.boolean(),
};

export const createQueuePayload = Joi.object({ ...fields, name: name.required() }).label('QueueCreate');
export const updateQueuePayload = Joi.object(fields).min(1).label('QueueUpdate');
export const queueIdParams = Joi.object({ id: queueRef.required() });
