import Joi from 'joi';
import { PERSON_ROLES } from '../../../models';
import { endpoint, login, name, objectId, text } from '../../../http/validation';

const fields = {
  displayName: text(120).min(1),
  // Long enough to resist guessing; the login limiter slows online attempts, scrypt offline ones.
  password: Joi.string().min(12).max(256),
  roles: Joi.array()
    .items(Joi.string().valid(...PERSON_ROLES))
    .min(1)
    .unique(),
  skills: Joi.array()
    .items(Joi.object({ name: name.required(), level: Joi.number().integer().min(1).max(10).required() }))
    .max(50)
    .unique('name'),
  endpoints: Joi.object({ sip: endpoint, webrtc: endpoint }),
  maxTasks: Joi.object({
    voice: Joi.number().integer().min(0).max(10),
    video: Joi.number().integer().min(0).max(10),
    email: Joi.number().integer().min(0).max(20),
    sms: Joi.number().integer().min(0).max(20),
    fax: Joi.number().integer().min(0).max(10),
  }),
  /** Contacts at once across every channel (a call counts as one). */
  maxTotal: Joi.number().integer().min(1).max(50),
  /** While the agent is on a call (or wraps it up) no task is offered to it. */
  callBlocksTasks: Joi.boolean(),
  callerId: Joi.object({
    name: text(80),
    number: Joi.string().pattern(/^\+?[0-9]{1,31}$/, 'number'),
  }),
  active: Joi.boolean(),
  /** Queue names a supervisor watches (its wallboard and reports); unknown names match no queue. */
  supervises: Joi.array().items(name).max(100).unique(),
};

export const createAgentPayload = Joi.object({
  ...fields,
  login: login.required(),
  password: fields.password.required(),
  displayName: fields.displayName.required(),
  roles: fields.roles.required(),
}).label('AgentCreate');

export const updateAgentPayload = Joi.object(fields).min(1).label('AgentUpdate');
export const agentIdParams = Joi.object({ id: objectId.required() });
export const statesQuery = Joi.object({
  from: Joi.date().iso().required(),
  to: Joi.date().iso().greater(Joi.ref('from')).required(),
});
