import Joi from 'joi';
import { CHANNELS } from '../../models';
import { contactId, multilineText, name, objectId } from '../../http/validation';

export const idParams = Joi.object({ id: contactId.required() });

export const historyQuery = Joi.object({
  from: Joi.date().iso(),
  to: Joi.date().iso(),
  channel: Joi.string().valid(...CHANNELS),
  queueId: name.description("the queue's name (contacts store it)"),
  agentId: objectId,
  customerId: objectId,
  limit: Joi.number().integer().min(1).max(200).default(50),
  skip: Joi.number().integer().min(0).max(100_000).default(0),
}).label('HistoryQuery');

export const dispositionPayload = Joi.object({
  disposition: Joi.string()
    .pattern(/^[A-Za-z0-9][A-Za-z0-9 _-]{0,63}$/, 'disposition code')
    .required(),
}).label('Disposition');

export const notePayload = Joi.object({ text: multilineText(4000).min(1).required() }).label('Note');
