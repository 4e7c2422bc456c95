import Joi from 'joi';
import { INTERVALS } from '../../domain/reports';
import { objectId, queueRef } from '../../http/validation';
import { QUEUE_CHANNELS } from '../../models';

/** Only the queues of one channel: `email`, `sms`, `fax` (tasks) or `voice` (calls, video too). */
const channel = Joi.string()
  .valid(...QUEUE_CHANNELS)
  .description("only the queues of this channel (a task channel's contacts, or calls)");

const window = {
  from: Joi.date().iso().required(),
  to: Joi.date().iso().greater(Joi.ref('from')).required(),
  interval: Joi.string()
    .valid(...Object.keys(INTERVALS))
    .default('1h'),
};
const format = { format: Joi.string().valid('json', 'csv').default('json') };

export const queueReportQuery = Joi.object({ ...window, ...format, queueId: queueRef, channel }).label(
  'QueueReportQuery',
);
export const agentReportQuery = Joi.object({
  ...window,
  ...format,
  agentId: objectId,
  queueId: queueRef.description(
    "only the queue's team (agents holding the skills it asks for) and the contacts of that queue",
  ),
}).label('AgentReportQuery');
export const queueSummaryQuery = Joi.object({
  ...window,
  queueId: queueRef.description('one queue; none: every queue the caller may see'),
  channel,
}).label('QueueSummaryQuery');

const ratio = Joi.number().min(0).max(1).allow(null);
const sec = Joi.number().min(0).allow(null);
const figures = {
  offered: Joi.number().integer().min(0).required(),
  answered: Joi.number().integer().min(0).required(),
  abandoned: Joi.number().integer().min(0).required(),
  abandonRate: ratio.required(),
  answeredWithinThreshold: Joi.number().integer().min(0).required(),
  serviceLevel: ratio.required().description('answered within the threshold / offered'),
  asaSec: sec.required().description('average speed of answer'),
  ahtSec: sec.required().description('average handle time (answered and ended contacts)'),
  longestWaitSec: sec.required(),
};

export const queueSummaryResponse = Joi.object({
  queues: Joi.array().items(Joi.string()).required().description('the queues covered, by name'),
  intervals: Joi.array()
    .items(Joi.object({ intervalStart: Joi.date().required(), ...figures }).label('SummaryInterval'))
    .required(),
  total: Joi.object(figures).label('SummaryTotal').required(),
  byQueue: Joi.array()
    .items(Joi.object({ queueId: Joi.string().required(), ...figures }).label('SummaryQueue'))
    .required(),
  byChannel: Joi.array()
    .items(
      Joi.object({
        channel: Joi.string()
          .valid(...QUEUE_CHANNELS)
          .required(),
        ...figures,
      }).label('SummaryChannel'),
    )
    .required()
    .description("the selection per channel (calls are voice), in the order of each channel's first queue"),
}).label('QueueSummary');
