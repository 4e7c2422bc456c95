import Joi from 'joi';
import { contactId, objectId, phoneInput, safeKey, scalar } from '../../http/validation';

export const calledNumberParams = Joi.object({
  calledNumber: Joi.string()
    .pattern(/^\+?[0-9*#]{1,32}$/, 'called number')
    .required(),
});
export const testCallParams = Joi.object({ testCallId: Joi.string().guid().required() });
export const callerParams = Joi.object({ number: phoneInput.required() });
export const fieldParams = Joi.object({ number: phoneInput.required(), field: safeKey.required() });

export const formPayload = Joi.object({
  contactId: contactId.required(),
  flowId: objectId,
  nodeId: Joi.string()
    .pattern(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, 'node id')
    .required(),
  fields: Joi.object().pattern(safeKey, scalar.required()).min(1).max(30).required(),
}).label('IvrForm');
