import Joi from 'joi';
import {
  contactId,
  customFields,
  email,
  multilineText,
  objectId,
  phoneInput,
  text,
} from '../../http/validation';

const fields = {
  firstName: text(100).min(1),
  lastName: text(100).min(1),
  phones: Joi.array().items(phoneInput).max(10),
  emails: Joi.array().items(email).max(10),
  notes: multilineText(4000).allow(''),
  custom: customFields,
};

export const createCustomerPayload = Joi.object({
  ...fields,
  contactId: contactId.description('link the new customer to this contact (must be visible to the caller)'),
})
  .or('firstName', 'lastName', 'phones', 'emails')
  .label('CustomerCreate');

export const updateCustomerPayload = Joi.object(fields).min(1).label('CustomerUpdate');

export const customerIdParams = Joi.object({ id: objectId.required() });
export const contactIdParams = Joi.object({ contactId: contactId.required() });

export const searchQuery = Joi.object({
  q: text(100).min(1).description('name prefix, case-insensitive'),
  phone: phoneInput,
  email,
  limit: Joi.number().integer().min(1).max(100).default(20),
  skip: Joi.number().integer().min(0).max(10_000).default(0),
})
  .or('q', 'phone', 'email')
  .label('CustomerSearch');
