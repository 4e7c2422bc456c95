import { signToken, type IssuedToken, type Role } from '../../../lib/auth-token';
import type { AccountGuard } from '../../domain/account-access';
import { decoyHash, hashPassword, needsRehash, verifyPassword } from '../../domain/password';
import { NotFoundError, UnauthorizedError } from '../../errors';
import { Agent, revokeTokens } from '../../models';
import type { LoginLimiter } from './limiter';

export interface Session extends IssuedToken {
  agent: { id: string; login: string; displayName: string; roles: Role[] };
}

const PROFILE_FIELDS = 'login displayName roles skills endpoints maxTasks callerId active';

export class AuthService {
  constructor(
    private readonly secret: string,
    private readonly limiter: LoginLimiter,
    private readonly accounts: AccountGuard,
    private readonly ttlSec?: number,
  ) {}

  async login(login: string, password: string, ip: string): Promise<Session> {
    // The attempt is counted before the hash: concurrent guesses cannot slip past a budget they all read
    // as unspent.
    await this.limiter.attempt(login, ip);
    const agent = await Agent.findOne({ login }).select('+passwordHash').lean();
    // Hash even for an unknown login so timing does not tell which logins exist.
    const ok = await verifyPassword(password, agent?.passwordHash ?? (await decoyHash()));
    if (!agent || !ok || agent.active === false) throw new UnauthorizedError('invalid login or password');
    await this.limiter.succeeded(login, ip);
    if (needsRehash(agent.passwordHash)) await this.rehash(agent._id, agent.passwordHash, password);
    return this.issue(
      agent._id.toHexString(),
      agent.login,
      agent.displayName,
      agent.roles,
      agent.tokenVersion,
    );
  }

  /**
   * Stores a hash of the current parameters in place of an older one. Only if the stored hash is still the
   * one verified: a password changed meanwhile is not overwritten. Not a password change: tokens stay valid.
   */
  private async rehash(id: unknown, old: string, password: string): Promise<void> {
    await Agent.updateOne(
      { _id: id, passwordHash: old },
      { $set: { passwordHash: await hashPassword(password) } },
    );
  }

  /** A fresh token for a still-active account; roles are re-read so a demotion takes effect. */
  async refresh(agentId: string): Promise<Session> {
    const agent = await Agent.findById(agentId).lean();
    if (!agent || agent.active === false) throw new UnauthorizedError('account no longer active');
    return this.issue(agentId, agent.login, agent.displayName, agent.roles, agent.tokenVersion);
  }

  /** Revokes every token of the caller's account (this one included), on the REST API and the CTI. */
  async logout(agentId: string): Promise<void> {
    await revokeTokens(agentId);
    this.accounts.forget(agentId);
  }

  async profile(agentId: string) {
    const agent = await Agent.findById(agentId).select(PROFILE_FIELDS).lean();
    if (!agent) throw new NotFoundError('agent');
    const { _id, ...rest } = agent;
    return { id: _id.toHexString(), ...rest };
  }

  private issue(
    id: string,
    login: string,
    displayName: string,
    roles: Role[],
    tokenVersion: number | null | undefined,
  ): Session {
    const issued = signToken({ sub: id, roles, ver: tokenVersion ?? 0 }, this.secret, this.ttlSec);
    return { ...issued, agent: { id, login, displayName, roles } };
  }
}
