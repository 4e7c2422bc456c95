import Joi from 'joi';

export const guestCallPayload = Joi.object({
  number: Joi.string()
    .pattern(/^[0-9]{1,20}$/, 'number')
    .required()
    .description('a public number (PUBLIC_VIDEO_NUMBERS)'),
}).label('GuestCallRequest');

export const guestCallResponse = Joi.object({
  token: Joi.string().required().description('send it as the X-Guest-Token header of the INVITE'),
  expiresAt: Joi.string().isoDate().required(),
  sip: Joi.object({
    wsUrl: Joi.string().required(),
    uri: Joi.string().required().description('the guest’s own URI (no registration)'),
    target: Joi.string().required().description('the URI to INVITE'),
  }).required(),
}).label('GuestCall');
