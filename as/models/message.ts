import { Schema, model, type InferSchemaType } from 'mongoose';
import { baseOptions } from './options';

export const MESSAGE_CHANNELS = ['email', 'sms', 'fax'] as const;
export type MessageChannel = (typeof MESSAGE_CHANNELS)[number];
export const MESSAGE_STATUSES = ['received', 'queued', 'sent', 'failed'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];
/** The path a message came in or goes out: the SMTP server or relay, an SMS webhook, SIP MESSAGE, fax. */
export const MESSAGE_PATHS = ['webhook', 'sip', 'smtp', 'fax'] as const;
export type MessagePath = (typeof MESSAGE_PATHS)[number];

/** One stored attachment (GridFS bucket `attachments`); `fileId` is the GridFS file's `_id`. */
const attachmentSchema = new Schema(
  {
    // GridFS's own ids are ObjectIds; a writer may choose strings: both are read (plugins/messages).
    fileId: { type: Schema.Types.Mixed, required: true },
    name: { type: String, required: true, maxlength: 255 },
    contentType: { type: String, required: true, maxlength: 255 },
    size: { type: Number, required: true, min: 0 },
  },
  { _id: false, strict: 'throw' },
);

/**
 * One message of a non-real-time contact (e-mail, SMS, fax), inbound or outbound. ISAG writes inbound
 * messages and sends outbound ones (setting `sent` or `failed`); the AS serves the thread to agents and
 * writes their replies (status `queued`). The fields are the ISAG contract's (docs/email.md).
 */
const messageSchema = new Schema(
  {
    _id: { type: String, required: true },
    interactionId: { type: String, required: true },
    channel: { type: String, enum: MESSAGE_CHANNELS, required: true },
    direction: { type: String, enum: ['inbound', 'outbound'], required: true },
    from: { type: String, required: true, maxlength: 998 },
    to: { type: [String], default: [] },
    cc: { type: [String], default: undefined },
    subject: { type: String },
    text: { type: String },
    /** As received or written; sanitised in the browser before it is shown. */
    html: { type: String },
    /** The RFC 5322 Message-ID without its angle brackets (e-mail), as ISAG stores every one. */
    messageId: { type: String },
    inReplyTo: { type: String },
    references: { type: [String], default: undefined },
    attachments: { type: [attachmentSchema], default: [] },
    pages: { type: Number },
    status: { type: String, enum: MESSAGE_STATUSES, required: true },
    statusReason: { type: String },
    via: { type: String, enum: MESSAGE_PATHS },
    provider: { type: String, enum: ['neutral', 'twilio'] },
    createdAt: { type: Date, required: true, default: () => new Date() },
    sentAt: { type: Date },
    /** The agent who wrote an outbound message (string form of its _id). */
    agentId: { type: String },
  },
  { ...baseOptions, collection: 'messages' },
);
messageSchema.index({ interactionId: 1, createdAt: 1 });
messageSchema.index({ messageId: 1 });

export type MessageData = InferSchemaType<typeof messageSchema>;
export const Message = model('Message', messageSchema);
