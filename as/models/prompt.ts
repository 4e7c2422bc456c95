import { Schema, model, type InferSchemaType } from 'mongoose';
import { baseOptions, NAME_PATTERN } from './options';

/**
 * Metadata of a prompt; the media files themselves live with Asterisk (`asterisk/prompts/`) as
 * `<name>.<format>`. A flow may only name prompts registered here.
 */
const promptSchema = new Schema(
  {
    name: { type: String, required: true, unique: true, match: NAME_PATTERN },
    description: { type: String, maxlength: 500 },
    /** Asterisk formats available for this name, e.g. ulaw, h264, vp8. */
    formats: { type: [{ type: String, match: /^[a-z0-9]{2,10}$/ }], default: [] },
    createdAt: { type: Date, default: () => new Date() },
    updatedAt: { type: Date, default: () => new Date() },
  },
  { ...baseOptions, collection: 'prompts' },
);

export type PromptData = InferSchemaType<typeof promptSchema>;
export const Prompt = model('Prompt', promptSchema);
