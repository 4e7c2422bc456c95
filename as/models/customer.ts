import { Schema, model, type InferSchemaType } from 'mongoose';
import { baseOptions } from './options';

const customerSchema = new Schema(
  {
    firstName: { type: String, maxlength: 100 },
    lastName: { type: String, maxlength: 100 },
    /** Lower-cased copy of "first last" for prefix search without a text index (FerretDB has none). */
    searchName: { type: String, maxlength: 201 },
    /** E.164 only; normalised by the service before save. */
    phones: {
      type: [{ type: String, match: /^\+[1-9][0-9]{6,14}$/ }],
      default: [],
    },
    /** Lower-cased. */
    emails: { type: [{ type: String, maxlength: 254, lowercase: true }], default: [] },
    notes: { type: String, maxlength: 4000 },
    /** Account data (balance, tier...) that IVR data steps and screen pops read; flat scalar values. */
    custom: { type: Schema.Types.Mixed, default: {} },
    createdAt: { type: Date, default: () => new Date() },
    updatedAt: { type: Date, default: () => new Date() },
  },
  { ...baseOptions, collection: 'customers', minimize: false },
);
customerSchema.index({ phones: 1 });
customerSchema.index({ emails: 1 });
customerSchema.index({ searchName: 1 });

export type CustomerData = InferSchemaType<typeof customerSchema>;
export const Customer = model('Customer', customerSchema);
