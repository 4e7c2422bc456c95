import Joi from 'joi';
import { multilineText, name, objectId } from '../../../http/validation';

const fields = {
  name,
  description: multilineText(500).allow(''),
  formats: Joi.array()
    .items(Joi.string().pattern(/^[a-z0-9]{2,10}$/, 'format'))
    .max(10)
    .unique(),
};

export const createPromptPayload = Joi.object({ ...fields, name: name.required() }).label('PromptCreate');
export const updatePromptPayload = Joi.object(fields).min(1).label('PromptUpdate');
export const promptIdParams = Joi.object({ id: objectId.required() });
