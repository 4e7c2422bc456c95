import Joi from 'joi';
import { ROLES } from '../../../lib/auth-token';
import { login } from '../../http/validation';

export const loginPayload = Joi.object({
  login: login.required(),
  password: Joi.string().min(1).max(256).required(),
}).label('LoginRequest');

export const sessionResponse = Joi.object({
  token: Joi.string().required(),
  expiresAt: Joi.date().required(),
  agent: Joi.object({
    id: Joi.string(),
    login: Joi.string(),
    displayName: Joi.string(),
    roles: Joi.array().items(Joi.string().valid(...ROLES)),
  }),
}).label('Session');
