import Joi from 'joi';

const named = { name: Joi.string().required(), label: Joi.string().required() };

export const desktopResponse = Joi.object({
  agent: Joi.object({
    id: Joi.string().required(),
    login: Joi.string().required(),
    displayName: Joi.string().required(),
    roles: Joi.array().items(Joi.string()).required(),
  }).required(),
  devices: Joi.object({
    softphone: Joi.boolean().required().description('the agent has a browser endpoint (endpoints.webrtc)'),
    desk: Joi.boolean().required().description('the agent has a desk SIP phone (endpoints.sip)'),
  }).required(),
  ctiUrl: Joi.string().required().description('the CTI agent WebSocket'),
  notReadyReasons: Joi.array()
    .items(
      Joi.object({
        ...named,
        digit: Joi.number().integer().min(1).max(9).description('N of the desk phone code *64N'),
      }).label('DesktopReason'),
    )
    .required()
    .description('in the order CTI numbers them (by name)'),
  dispositionCodes: Joi.array().items(Joi.object(named).label('DesktopDisposition')).required(),
  queues: Joi.array()
    .items(
      Joi.object({ name: Joi.string().required(), channel: Joi.string().valid('voice', 'video') }).label(
        'DesktopQueue',
      ),
    )
    .required()
    .description('transfer targets'),
  agents: Joi.array()
    .items(
      Joi.object({
        id: Joi.string().required(),
        login: Joi.string().required(),
        displayName: Joi.string().required(),
      }).label('DesktopAgent'),
    )
    .required()
    .description('active agents other than the caller (transfer targets)'),
  publicNumbers: Joi.array().items(Joi.string()).required(),
}).label('Desktop');

export const sipResponse = Joi.object({
  wsUrl: Joi.string().required().description("Asterisk's SIP over WebSocket"),
  uri: Joi.string().required(),
  username: Joi.string().required(),
  password: Joi.string().required(),
  displayName: Joi.string().required(),
}).label('SoftphoneAccount');
