import { hashPassword } from '../../../domain/password';
import { ConflictError, NotFoundError } from '../../../errors';
import type { Caller } from '../../../http/credentials';
import type { Role } from '../../../../lib/auth-token';
import { Types } from 'mongoose';
import { Agent, AgentState } from '../../../models';
import { changeRevokesTokens, type AccountGuard } from '../../../domain/account-access';
import type { ChangeOutbox } from '../../../outbox/outbox';
import { recordChange } from '../audit/service';
import { present } from '../present';

export interface AgentInput {
  login?: string;
  password?: string;
  displayName?: string;
  roles?: Exclude<Role, 'ivr'>[];
  skills?: { name: string; level: number }[];
  endpoints?: { sip?: string; webrtc?: string };
  maxTasks?: Partial<Record<'voice' | 'video' | 'email' | 'sms' | 'fax', number>>;
  maxTotal?: number;
  callBlocksTasks?: boolean;
  callerId?: { name?: string; number?: string };
  active?: boolean;
  supervises?: string[];
}

export class AgentAdminService {
  /** Every change goes through the outbox: CTI and Asterisk apply it live (as/outbox/outbox.ts). */
  constructor(
    private readonly changes: ChangeOutbox,
    /** So a revocation takes effect at once in this process (other processes within their cache's TTL). */
    private readonly accounts?: AccountGuard,
  ) {}

  async list() {
    const agents = await Agent.find().sort({ login: 1 }).lean();
    return agents.map(present);
  }

  async get(id: string) {
    const agent = await Agent.findById(id).lean();
    if (!agent) throw new NotFoundError('agent');
    return present(agent);
  }

  async states(id: string, from: Date, to: Date) {
    const rows = await AgentState.find({ agentId: id, at: { $gte: from, $lt: to } })
      .sort({ at: 1 })
      .limit(5000)
      .lean();
    return rows.map(present);
  }

  async create(input: AgentInput & { login: string; password: string }, caller: Caller) {
    // The id is chosen before the write so that the outbox record can name it.
    const _id = new Types.ObjectId();
    return this.changes.record({ entity: 'agent', entityId: _id.toHexString(), action: 'create' }, () =>
      this.insert(_id, input, caller),
    );
  }

  private async insert(
    _id: Types.ObjectId,
    input: AgentInput & { login: string; password: string },
    caller: Caller,
  ) {
    const { password, ...rest } = input;
    const created = await Agent.create({ _id, ...rest, passwordHash: await hashPassword(password) });
    const after = present(created.toObject());
    await recordChange(caller, 'create', 'agent', after.id, null, after);
    return after;
  }

  async update(id: string, input: AgentInput, caller: Caller) {
    return this.changes.record({ entity: 'agent', entityId: id, action: 'update' }, () =>
      this.change(id, input, caller),
    );
  }

  private async change(id: string, input: AgentInput, caller: Caller) {
    const before = await Agent.findById(id).lean();
    if (!before) throw new NotFoundError('agent');
    if (id === caller.id && (input.active === false || (input.roles && !input.roles.includes('admin')))) {
      throw new ConflictError('an administrator cannot deactivate or demote itself');
    }
    const { password, ...rest } = input;
    const set: Record<string, unknown> = { ...rest, updatedAt: new Date() };
    if (password !== undefined) set.passwordHash = await hashPassword(password);
    // updateOne + read, not findOneAndUpdate: with the hidden passwordHash mongoose adds a projection to
    // findAndModify, which FerretDB v1 does not implement.
    // A deactivation, a role or password change revokes the account's tokens (as/domain/account-access.ts).
    const revoke = changeRevokesTokens(before, input) ? { $inc: { tokenVersion: 1 } } : {};
    await Agent.updateOne({ _id: id }, { $set: set, ...revoke }, { runValidators: true });
    this.accounts?.forget(id);
    const updated = await Agent.findById(id).lean();
    if (!updated) throw new NotFoundError('agent');
    const after = { ...present(updated), ...(password !== undefined && { passwordChanged: true }) };
    await recordChange(caller, 'update', 'agent', id, present(before), after);
    return present(updated);
  }

  async remove(id: string, caller: Caller) {
    if (id === caller.id) throw new ConflictError('an administrator cannot delete itself');
    await this.changes.record({ entity: 'agent', entityId: id, action: 'delete' }, () =>
      this.delete(id, caller),
    );
  }

  private async delete(id: string, caller: Caller) {
    const before = await Agent.findById(id).lean();
    if (!before) throw new NotFoundError('agent');
    await Agent.deleteOne({ _id: id });
    // Its tokens name an account that no longer exists: refused from the next request.
    this.accounts?.forget(id);
    await recordChange(caller, 'delete', 'agent', id, present(before), null);
  }
}
