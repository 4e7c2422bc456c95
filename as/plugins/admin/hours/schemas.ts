import Joi from 'joi';
import { CLOSED_ACTIONS, WEEKDAY_NAMES } from '../../../models';
import { name, text } from '../../../http/validation';

const time = Joi.string().pattern(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'HH:MM (00:00-23:59)');
const closeTime = Joi.string().pattern(/^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$/, 'HH:MM (00:00-24:00)');
const interval = { open: time.required(), close: closeTime.required() };
export const calledNumber = Joi.string().pattern(/^\+?[0-9*#]{1,32}$/, 'called number');

/** A prompt for `prompt` (required), optional for `voicemail` (the greeting); a queue only for `queue`. */
const closedAction = Joi.object({
  kind: Joi.string()
    .valid(...CLOSED_ACTIONS)
    .required(),
  prompt: name.when('kind', {
    switch: [
      { is: 'prompt', then: Joi.required() },
      { is: 'queue', then: Joi.forbidden() },
    ],
  }),
  queue: name.when('kind', { is: 'queue', then: Joi.required(), otherwise: Joi.forbidden() }),
}).label('ClosedAction');

export const schedulePayload = Joi.object({
  name: name.required(),
  description: text(200).allow(''),
  timeZone: Joi.string().min(1).max(64).required(),
  weekly: Joi.array()
    .items(
      Joi.object({
        day: Joi.string()
          .valid(...WEEKDAY_NAMES)
          .required(),
        ...interval,
      }),
    )
    .max(70)
    .default([]),
  holidays: Joi.array()
    .items(
      Joi.object({
        date: Joi.string()
          .pattern(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')
          .required(),
        name: text(80),
        hours: Joi.array().items(Joi.object(interval)).max(10),
      }),
    )
    .max(400)
    .default([]),
  closedAction: closedAction.required(),
  queues: Joi.array().items(name).max(200).unique().default([]),
  numbers: Joi.array().items(calledNumber).max(200).unique().default([]),
}).label('BusinessHours');

export const scheduleParams = Joi.object({ name: name.required() });
export const numberParams = Joi.object({ number: calledNumber.required() });
