import Joi from 'joi';
import { contactId, multilineText, objectId, text } from '../../http/validation';
import { MESSAGE_CHANNELS, MESSAGE_PATHS, MESSAGE_STATUSES } from '../../models/message';
import { REPLY_CHANNELS, TEMPLATE_TEXT_MAX } from '../../models/reply-template';
import { SUBJECT_MAX } from './compose';

export const contactParams = Joi.object({ id: contactId.required() });
export const fileParams = Joi.object({
  fileId: Joi.string()
    .pattern(/^[A-Za-z0-9_-]{1,64}$/, 'file id')
    .required()
    .description("the attachment's fileId, as the thread lists it"),
});

/** Longest reply text and HTML (characters); files are bounded by the route's byte limits. */
export const REPLY_TEXT_MAX = 100_000;
export const REPLY_HTML_MAX = 1_000_000;
/** Files on one reply. */
export const REPLY_MAX_FILES = 10;

const filePart = Joi.object({
  filename: Joi.string().allow('').max(255).required(),
  path: Joi.string().required(),
  bytes: Joi.number().integer().min(0).required(),
  headers: Joi.object().unknown().required(),
})
  .unknown(false)
  .messages({ 'object.base': '{{#label}} must be a file' });

/**
 * A reply (multipart/form-data only: see routes.ts). Subject and text are checked for control
 * characters here (CR/LF in a subject would start a header of the sender's choosing: 400); anything that
 * ends in a header (To, threading) is the server's choice, and unknown fields (`to`, `bcc`) are refused.
 */
export const replyPayload = Joi.object({
  text: multilineText(REPLY_TEXT_MAX).allow('').description('plain text (SMS: at most 1,600 characters)'),
  html: multilineText(REPLY_HTML_MAX).description('e-mail only: an HTML body beside the text'),
  subject: text(SUBJECT_MAX).description('e-mail only; default `Re: ` the last inbound subject'),
  templateId: objectId.description('start from this reply template when no text is given'),
  files: Joi.alternatives(filePart, Joi.array().items(filePart).max(REPLY_MAX_FILES)).description(
    'e-mail only: attachments (10 MB a file, 25 MB in all)',
  ),
}).label('Reply');

const attachmentView = Joi.object({
  fileId: Joi.string().required(),
  name: Joi.string().required(),
  contentType: Joi.string().required(),
  size: Joi.number().integer().min(0).required(),
}).label('MessageAttachment');

export const messageView = Joi.object({
  id: Joi.string().required(),
  interactionId: Joi.string().required(),
  channel: Joi.string()
    .valid(...MESSAGE_CHANNELS)
    .required(),
  direction: Joi.string().valid('inbound', 'outbound').required(),
  from: Joi.string().required(),
  to: Joi.array().items(Joi.string()).required(),
  cc: Joi.array().items(Joi.string()),
  subject: Joi.string().allow(''),
  text: Joi.string().allow(''),
  html: Joi.string().allow('').description('raw: sanitise before showing it'),
  messageId: Joi.string(),
  inReplyTo: Joi.string(),
  references: Joi.array().items(Joi.string()),
  attachments: Joi.array().items(attachmentView).required(),
  pages: Joi.number().integer(),
  status: Joi.string()
    .valid(...MESSAGE_STATUSES)
    .required(),
  statusReason: Joi.string(),
  via: Joi.string().valid(...MESSAGE_PATHS),
  provider: Joi.string().valid('neutral', 'twilio'),
  createdAt: Joi.date().required(),
  sentAt: Joi.date(),
  agentId: Joi.string(),
}).label('ContactMessage');

export const threadView = Joi.array().items(messageView).label('MessageThread');

export const templateQuery = Joi.object({
  channel: Joi.string()
    .valid(...REPLY_CHANNELS)
    .description("only the templates of this channel (the contact's)"),
});
export const templateParams = Joi.object({ id: objectId.required() });
const templateFields = {
  name: text(80).min(1),
  channel: Joi.string().valid(...REPLY_CHANNELS),
  text: multilineText(TEMPLATE_TEXT_MAX).min(1),
};
export const templateCreate = Joi.object({
  name: templateFields.name.required(),
  channel: templateFields.channel.required(),
  text: templateFields.text.required(),
}).label('ReplyTemplateCreate');
export const templateUpdate = Joi.object(templateFields).min(1).label('ReplyTemplateUpdate');
export const templateView = Joi.object({
  id: Joi.string().required(),
  name: Joi.string().required(),
  channel: Joi.string()
    .valid(...REPLY_CHANNELS)
    .required(),
  text: Joi.string().required(),
  createdAt: Joi.date(),
  updatedAt: Joi.date(),
}).label('ReplyTemplate');
export const templateList = Joi.array().items(templateView).label('ReplyTemplateList');
