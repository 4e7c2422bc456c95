import { Schema, model, type InferSchemaType } from 'mongoose';
import { baseOptions } from './options';

/** Channels a reply can be written on (fax has no replies). */
export const REPLY_CHANNELS = ['email', 'sms'] as const;
export type ReplyChannel = (typeof REPLY_CHANNELS)[number];

/** Longest template text: an e-mail body's; an SMS template is bounded by the SMS limit on use. */
export const TEMPLATE_TEXT_MAX = 20_000;

/**
 * Canned answers agents start a reply from (the desktop's inbox): administrators write them (audited),
 * agents list those of a contact's channel.
 */
const replyTemplateSchema = new Schema(
  {
    name: { type: String, required: true, maxlength: 80 },
    channel: { type: String, enum: REPLY_CHANNELS, required: true },
    text: { type: String, required: true, maxlength: TEMPLATE_TEXT_MAX },
    createdAt: { type: Date, default: () => new Date() },
    updatedAt: { type: Date, default: () => new Date() },
  },
  { ...baseOptions, collection: 'replytemplates' },
);
// One name per channel: the desktop lists them by name.
replyTemplateSchema.index({ channel: 1, name: 1 }, { unique: true });

export type ReplyTemplateData = InferSchemaType<typeof replyTemplateSchema>;
export const ReplyTemplate = model('ReplyTemplate', replyTemplateSchema);
