import Joi from 'joi';
import { name, objectId, text } from '../../../http/validation';

const fields = { name, label: text(80).min(1) };

export const createReasonPayload = Joi.object({
  name: name.required(),
  label: fields.label.required(),
}).label('NotReadyReasonCreate');
export const updateReasonPayload = Joi.object(fields).min(1).label('NotReadyReasonUpdate');
export const reasonIdParams = Joi.object({ id: objectId.required() });
