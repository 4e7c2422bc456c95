import Joi from 'joi';
import { name, objectId, text } from '../../../http/validation';

const fields = { name, label: text(80).min(1) };

export const createDispositionPayload = Joi.object({
  name: name.required(),
  label: fields.label.required(),
}).label('DispositionCodeCreate');
export const updateDispositionPayload = Joi.object(fields).min(1).label('DispositionCodeUpdate');
export const dispositionIdParams = Joi.object({ id: objectId.required() });

export const dispositionCode = Joi.object({
  id: objectId.required(),
  name: name.required(),
  label: Joi.string().required(),
  createdAt: Joi.date(),
  updatedAt: Joi.date(),
}).label('DispositionCode');
export const dispositionList = Joi.array().items(dispositionCode).label('DispositionCodes');
