import { signToken, type IssuedToken, type Role } from '../../../lib/auth-token';
import { decoyHash, verifyPassword } from '../../domain/password';
import { NotFoundError, UnauthorizedError } from '../../errors';
import { Agent } from '../../models';
import type { LoginLimiter } from './limiter';

export interface Session extends IssuedToken {
  agent: { id: string; login: string; displayName: string; roles: Role[] };
}

const PROFILE_FIELDS = 'login displayName roles skills endpoints maxTasks callerId active';

export class AuthService {
  constructor(
    private readonly secret: string,
    private readonly limiter: LoginLimiter,
    private readonly ttlSec?: number,
  ) {}

  async login(login: string, password: string, ip: string): Promise<Session> {
    await this.limiter.check(login, ip);
    const agent = await Agent.findOne({ login }).select('+passwordHash').lean();
    // Hash even for an unknown login so timing does not tell which logins exist.
    const ok = await verifyPassword(password, agent?.passwordHash ?? (await decoyHash()));
    if (!agent || !ok || agent.active === false) {
      await this.limiter.failed(login, ip);
      throw new UnauthorizedError('invalid login or password');
    }
    await this.limiter.succeeded(login, ip);
    return this.issue(agent._id.toHexString(), agent.login, agent.displayName, agent.roles);
  }

  /** A fresh token for a still-active account; roles are re-read so a demotion takes effect. */
  async refresh(agentId: string): Promise<Session> {
    const agent = await Agent.findById(agentId).lean();
    if (!agent || agent.active === false) throw new UnauthorizedError('account no longer active');
    return this.issue(agentId, agent.login, agent.displayName, agent.roles);
  }

  async profile(agentId: string) {
    const agent = await Agent.findById(agentId).select(PROFILE_FIELDS).lean();
    if (!agent) throw new NotFoundError('agent');
    const { _id, ...rest } = agent;
    return { id: _id.toHexString(), ...rest };
  }

  private issue(id: string, login: string, displayName: string, roles: Role[]): Session {
    const issued = signToken({ sub: id, roles }, this.secret, this.ttlSec);
    return { ...issued, agent: { id, login, displayName, roles } };
  }
}
