import Joi from 'joi';
import { SELECTION_POLICIES, TIMEOUT_ACTIONS } from '../../../models';
import { name, queueRef } from '../../../http/validation';

const int = (min: number, max: number) => Joi.number().integer().min(min).max(max);

const fields = {
  name,
  skills: Joi.array()
    .items(Joi.object({ name: name.required(), minLevel: int(1, 10).required() }))
    .max(20)
    .unique('name'),
  priority: int(0, 100),
  selectionPolicy: Joi.string().valid(...SELECTION_POLICIES),
  ringTimeoutSec: int(5, 300),
  wrapUpSec: int(0, 3600),
  queueTimeoutSec: int(10, 86_400),
  timeoutAction: Joi.string().valid(...TIMEOUT_ACTIONS),
  fallbackQueue: name,
  serviceLevelSec: int(1, 3600),
  media: Joi.object({ music: name, video: name }),
  recording: Joi.boolean(),
};

export const createQueuePayload = Joi.object({ ...fields, name: name.required() }).label('QueueCreate');
export const updateQueuePayload = Joi.object(fields).min(1).label('QueueUpdate');
export const queueIdParams = Joi.object({ id: queueRef.required() });
