import type { CountryCode } from 'libphonenumber-js';
import { normalisePhone } from '../../domain/phone';
import { NotFoundError } from '../../errors';
import { Customer, Interaction, IvrFlow } from '../../models';
import { testCallFlow } from '../admin/flows/test-calls';

type Scalar = string | number | boolean;

/**
 * Interface D: what the IVR process asks while it runs a flow. It reads one field at a time, never the
 * whole customer record, so a flow can only speak what its data step names.
 */
export class IvrDataService {
  constructor(private readonly country: CountryCode) {}

  async flowFor(calledNumber: string) {
    // Only the live, published graph: never a draft, nor a flow created as a draft and never published.
    const flow = await IvrFlow.findOne({ calledNumber, published: { $ne: false } })
      .select('-draft -layout -lastVersion')
      .lean();
    if (!flow) throw new NotFoundError(`IVR flow for ${calledNumber}`);
    const { _id, ...rest } = flow;
    return { id: _id.toHexString(), ...rest };
  }

  /** A flow editor's test call: the draft copied for it, never a flow's draft by flow id or number. */
  testCallFlow(testCallId: string) {
    return testCallFlow(testCallId);
  }

  async lookup(number: string) {
    const customer = await this.findCaller(number);
    if (!customer) return { found: false as const };
    return { found: true as const, customerId: customer._id.toHexString(), firstName: customer.firstName };
  }

  async field(number: string, field: string): Promise<{ field: string; value: Scalar }> {
    const customer = await this.findCaller(number);
    if (!customer) throw new NotFoundError('caller');
    const custom = (customer.custom ?? {}) as Record<string, unknown>;
    // Own properties only: a field named "constructor" must not reach Object.prototype.
    const value = Object.prototype.hasOwnProperty.call(custom, field) ? custom[field] : undefined;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new NotFoundError(`field ${field}`);
    }
    return { field, value };
  }

  async submitForm(input: {
    contactId: string;
    flowId?: string;
    nodeId: string;
    fields: Record<string, Scalar>;
  }) {
    const at = new Date();
    const result = await Interaction.updateOne(
      { _id: input.contactId },
      {
        $push: {
          timeline: {
            at,
            type: 'FormSubmitted',
            data: { flowId: input.flowId, nodeId: input.nodeId, fields: input.fields },
          },
        },
      },
    );
    // The CTI creates the interaction on CallDelivered, before the IVR runs; a miss is a wrong id.
    if (result.matchedCount === 0) throw new NotFoundError('contact');
    return { contactId: input.contactId, at };
  }

  private async findCaller(number: string) {
    const e164 = normalisePhone(number, this.country);
    if (e164 === null) return null;
    // Several records may share a number (a household); the oldest one wins, deterministically.
    return Customer.findOne({ phones: e164 }).sort({ createdAt: 1, _id: 1 }).lean();
  }
}
