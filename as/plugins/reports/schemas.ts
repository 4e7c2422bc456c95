import Joi from 'joi';
import { INTERVALS } from '../../domain/reports';
import { objectId, queueRef } from '../../http/validation';

const window = {
  from: Joi.date().iso().required(),
  to: Joi.date().iso().greater(Joi.ref('from')).required(),
  interval: Joi.string()
    .valid(...Object.keys(INTERVALS))
    .default('1h'),
  format: Joi.string().valid('json', 'csv').default('json'),
};

export const queueReportQuery = Joi.object({ ...window, queueId: queueRef }).label('QueueReportQuery');
export const agentReportQuery = Joi.object({ ...window, agentId: objectId }).label('AgentReportQuery');
