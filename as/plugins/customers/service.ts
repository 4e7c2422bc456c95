import type { CountryCode } from 'libphonenumber-js';
import { KeyedSerial } from '../../../lib/keyed-serial';
import { type Logger, errorText } from '../../../lib/log';
import { writeInteraction } from '../interactions/writes';
import { contactAddress } from '../../domain/contact-address';
import { normalisePhone } from '../../domain/phone';
import { ConflictError, InvalidError, NotFoundError } from '../../errors';
import { customOverLimit, mergeCustom } from '../../domain/custom-fields';
import type { Caller } from '../../http/credentials';
import { Customer, Interaction, type CustomerData } from '../../models';
import {
  assertCustomerVisible,
  loadVisibleInteraction,
  SUMMARY_FIELDS,
  visibleContactsFilter,
  type InteractionRecord,
} from '../interactions/access';

type Scalar = string | number | boolean;

/** Compare-and-set rounds before a PATCH of custom fields gives up (409). */
const UPDATE_ATTEMPTS = 5;

export interface CustomerInput {
  firstName?: string;
  lastName?: string;
  phones?: string[];
  emails?: string[];
  notes?: string;
  /** A null value removes the field on update. */
  custom?: Record<string, Scalar | null>;
}

export interface CustomerSearch {
  q?: string;
  phone?: string;
  email?: string;
  limit: number;
  skip: number;
}

type CustomerRecord = CustomerData & { _id: { toHexString(): string } };

function present(c: CustomerRecord) {
  const { _id, searchName: _searchName, ...rest } = c;
  return { id: _id.toHexString(), ...rest };
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const searchNameOf = (first?: string | null, last?: string | null) =>
  [first, last]
    .filter((s): s is string => !!s)
    .join(' ')
    .toLowerCase();

export class CustomerService {
  private readonly updates = new KeyedSerial();

  constructor(
    private readonly country: CountryCode,
    private readonly log?: Logger,
  ) {}

  normalisePhones(phones: string[]): string[] {
    return [
      ...new Set(
        phones.map((raw) => {
          const e164 = normalisePhone(raw, this.country);
          if (e164 === null) throw new InvalidError(`"${raw}" is not a valid phone number`);
          return e164;
        }),
      ),
    ];
  }

  async search(query: CustomerSearch) {
    const filter: Record<string, unknown> = {};
    if (query.phone !== undefined) {
      filter.phones = normalisePhone(query.phone, this.country) ?? '__no_match__';
    }
    if (query.email !== undefined) filter.emails = query.email.toLowerCase();
    if (query.q !== undefined) {
      // Prefix match on a lower-cased copy: works without text indexes or collation (FerretDB has neither).
      filter.searchName = { $regex: `^${escapeRegex(query.q.toLowerCase())}` };
    }
    const found = await Customer.find(filter)
      .sort({ searchName: 1, _id: 1 })
      .skip(query.skip)
      .limit(query.limit)
      .lean<CustomerRecord[]>();
    return found.map(present);
  }

  async get(id: string, caller: Caller) {
    await assertCustomerVisible(id, caller);
    const customer = await Customer.findById(id).lean<CustomerRecord>();
    if (!customer) throw new NotFoundError('customer');
    return present(customer);
  }

  async create(input: CustomerInput, caller: Caller, contactId?: string) {
    // Check the contact first so an agent cannot create-and-link to someone else's contact.
    if (contactId !== undefined) await loadVisibleInteraction(contactId, caller);
    const custom = mergeCustom({}, input.custom ?? {});
    const over = customOverLimit(custom);
    if (over !== null) throw new InvalidError(over);
    const created = await Customer.create({
      ...input,
      custom,
      phones: this.normalisePhones(input.phones ?? []),
      searchName: searchNameOf(input.firstName, input.lastName),
    });
    if (contactId !== undefined) {
      const customerId = created._id.toHexString();
      await writeInteraction(
        contactId,
        'customer link',
        () => Interaction.updateOne({ _id: contactId }, { $set: { customerId } }),
        (doc) => doc.customerId === customerId,
        this.log,
      );
    }
    return present(created.toObject());
  }

  /**
   * Custom fields are written whole, merged with what is stored, so two PATCHes at once must not each
   * pass the total bound and together exceed it. A customer's updates run one at a time in this process,
   * and each writes only over the version it read (compare-and-set on `updatedAt`, retried when lost):
   * the queue is what holds on FerretDB v1, whose findAndModify let 8 concurrent compare-and-sets on the
   * same version all succeed (spec/integration/as/text-and-custom-limits.spec.ts); the compare-and-set
   * covers several AS processes on a store with atomic findAndModify (MongoDB).
   */
  update(id: string, patch: CustomerInput, caller: Caller) {
    return this.updates.run(id, () => this.updateNow(id, patch, caller));
  }

  private async updateNow(id: string, patch: CustomerInput, caller: Caller) {
    await assertCustomerVisible(id, caller);
    for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt += 1) {
      const existing = await Customer.findById(id).lean<CustomerRecord>();
      if (!existing) throw new NotFoundError('customer');
      const read = existing.updatedAt?.getTime() ?? 0;
      // Strictly later than the version read, so the next compare-and-set sees a change.
      const set: Record<string, unknown> = { updatedAt: new Date(Math.max(Date.now(), read + 1)) };
      for (const key of ['firstName', 'lastName', 'emails', 'notes'] as const) {
        if (patch[key] !== undefined) set[key] = patch[key];
      }
      if (patch.phones !== undefined) set.phones = this.normalisePhones(patch.phones);
      if (patch.firstName !== undefined || patch.lastName !== undefined) {
        set.searchName = searchNameOf(
          patch.firstName ?? existing.firstName,
          patch.lastName ?? existing.lastName,
        );
      }
      const filter: Record<string, unknown> = { _id: id };
      if (patch.custom !== undefined) {
        const custom = mergeCustom(existing.custom as Record<string, unknown> | undefined, patch.custom);
        const over = customOverLimit(custom);
        // Removing fields is always allowed, even from a customer stored over the bound before it existed.
        const removesOnly = Object.values(patch.custom).every((v) => v === null);
        if (over !== null && !removesOnly) throw new InvalidError(over);
        set.custom = custom;
        filter.updatedAt = existing.updatedAt ?? { $exists: false };
      }
      const updated = await Customer.findOneAndUpdate(
        filter,
        { $set: set },
        { returnDocument: 'after', runValidators: true },
      ).lean<CustomerRecord>();
      if (updated) return present(updated);
      if (patch.custom === undefined) throw new NotFoundError('customer');
    }
    throw new ConflictError('the customer kept changing during the update; try again');
  }

  /**
   * Screen pop: the contact, the customer it belongs to (already linked, or found by caller id or e-mail
   * address and then linked), and the customer's recent contacts as summaries.
   */
  async screenPop(contactId: string, caller: Caller, historyLimit = 10) {
    const contact = await loadVisibleInteraction(contactId, caller);
    let customer: CustomerRecord | null = null;
    let candidates: ReturnType<typeof present>[] = [];
    if (contact.customerId) {
      customer = await Customer.findById(contact.customerId).lean<CustomerRecord>();
    } else {
      const matches = await this.matchContact(contact);
      if (matches.length === 1) {
        customer = matches[0] as CustomerRecord;
        const customerId = customer._id.toHexString();
        // Another agent's link in between wins (the filter); either way the contact must end up linked.
        // The first write before the answer, its check behind it: the screen pop does not wait for the
        // other writers to settle.
        const link = () =>
          Interaction.updateOne({ _id: contactId, customerId: { $exists: false } }, { $set: { customerId } });
        await link();
        void writeInteraction(
          contactId,
          'customer link',
          link,
          (doc) => doc.customerId !== undefined,
          this.log,
        ).catch((err: unknown) =>
          this.log?.warn('screen pop: the customer link was not stored', {
            contactId,
            error: errorText(err),
          }),
        );
      } else {
        candidates = matches.map(present);
      }
    }
    // Linked contacts, plus earlier ones from the customer's numbers and addresses that were never linked.
    // An agent sees only its own among them: anyone may link a customer to its contact and give that
    // customer a number, so the customer is no proof the agent may read that number's contacts.
    const historyFilter = {
      ...visibleContactsFilter(caller),
      _id: { $ne: contactId },
      ...(customer
        ? {
            $or: [
              { customerId: customer._id.toHexString() },
              { from: { $in: [...customer.phones, ...customer.emails] } },
            ],
          }
        : { from: contact.from }),
    };
    const history = await Interaction.find(historyFilter)
      .select(SUMMARY_FIELDS)
      .sort({ createdAt: -1 })
      .limit(historyLimit)
      .lean();
    return {
      contact: { id: contact._id, ...withoutId(contact) },
      customer: customer ? present(customer) : null,
      candidates,
      history: history.map((h) => ({ id: h._id, ...withoutId(h) })),
    };
  }

  private async matchContact(contact: InteractionRecord): Promise<CustomerRecord[]> {
    const address = contactAddress(contact.from);
    if (address === null) return [];
    if (address.kind === 'email') {
      return Customer.find({ emails: address.address }).limit(5).lean<CustomerRecord[]>();
    }
    // Trunks often present international numbers without their "+": tried as such when the number is
    // not valid in the default country.
    const from = address.number;
    const e164 =
      normalisePhone(from, this.country) ??
      (/^[1-9][0-9]{7,14}$/.test(from) ? normalisePhone(`+${from}`, this.country) : null);
    if (e164 === null) return [];
    return Customer.find({ phones: e164 }).limit(5).lean<CustomerRecord[]>();
  }
}

function withoutId<T extends { _id: unknown }>(doc: T): Omit<T, '_id'> {
  const { _id, ...rest } = doc;
  return rest;
}
