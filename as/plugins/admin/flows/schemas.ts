import Joi from 'joi';
import { DTMF_KEYS, NODE_TYPES } from '../../../../lib/flow/flow';
import { name, objectId, text } from '../../../http/validation';

const nodeId = Joi.string().pattern(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, 'node id');
const base = { id: nodeId.required() };

const play = Joi.object({
  ...base,
  type: Joi.valid('play').required(),
  prompt: name.required(),
  next: nodeId.required(),
});
const menu = Joi.object({
  ...base,
  type: Joi.valid('menu').required(),
  prompt: name.required(),
  choices: Joi.array()
    .items(
      Joi.object({
        key: Joi.string()
          .valid(...DTMF_KEYS)
          .required(),
        next: nodeId.required(),
      }),
    )
    .min(1)
    .max(12)
    .required(),
  invalidPrompt: name,
  noInputPrompt: name,
  timeoutSec: Joi.number().integer().min(1).max(60).default(5),
  maxRetries: Joi.number().integer().min(0).max(10).default(2),
  default: nodeId.required(),
});
const queue = Joi.object({ ...base, type: Joi.valid('queue').required(), queue: name.required() });
const hangup = Joi.object({ ...base, type: Joi.valid('hangup').required(), prompt: name });
const data = Joi.object({
  ...base,
  type: Joi.valid('data').required(),
  field: Joi.string()
    .pattern(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'field name')
    .required(),
  prompt: name,
  next: nodeId.required(),
  notFound: nodeId.required(),
});

const voicemail = Joi.object({ ...base, type: Joi.valid('voicemail').required(), prompt: name, queue: name });
const callback = Joi.object({
  ...base,
  type: Joi.valid('callback').required(),
  queue: name.required(),
  prompt: name,
});
const hours = Joi.object({
  ...base,
  type: Joi.valid('hours').required(),
  schedule: name.required(),
  open: nodeId.required(),
  closed: nodeId.required(),
});
/** Dispatch on `type` so an error names the missing field of that node type, not "matches no alternative". */
export const flowNode = Joi.alternatives().conditional('.type', {
  switch: [
    { is: 'play', then: play },
    { is: 'menu', then: menu },
    { is: 'queue', then: queue },
    { is: 'hangup', then: hangup },
    { is: 'data', then: data },
    { is: 'voicemail', then: voicemail },
    { is: 'callback', then: callback },
    { is: 'hours', then: hours },
  ],
  otherwise: Joi.object({
    type: Joi.string()
      .valid(...NODE_TYPES)
      .required(),
  }).unknown(),
});

/** Canvas positions from the editor, one per node; the IVR ignores them. */
const layout = Joi.array()
  .items(
    Joi.object({
      id: nodeId.required(),
      x: Joi.number().min(-1e6).max(1e6).required(),
      y: Joi.number().min(-1e6).max(1e6).required(),
    }),
  )
  .max(200)
  .unique('id');

export const flowGraph = {
  entry: nodeId.required(),
  nodes: Joi.array().items(flowNode).min(1).max(200).required(),
};

export const flowPayload = Joi.object({
  name: text(120).min(1).required(),
  calledNumber: Joi.string()
    .pattern(/^\+?[0-9*#]{1,32}$/, 'called number')
    .required(),
  media: Joi.string().valid('audio', 'video').default('audio'),
  ...flowGraph,
  layout,
  /** false: stored as a draft only, not live until published (the editor's "new flow"). */
  publish: Joi.boolean().default(true),
}).label('IvrFlow');

export const draftPayload = Joi.object({ ...flowGraph, layout }).label('IvrFlowDraft');
export const versionParams = Joi.object({
  id: objectId.required(),
  version: Joi.number().integer().min(1).max(1e9).required(),
});

export const flowCheckPayload = Joi.object(flowGraph).label('IvrFlowGraph');
export const flowIdParams = Joi.object({ id: objectId.required() });
