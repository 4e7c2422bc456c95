import { signToken } from '../../lib/auth-token';

/**
 * The IVR's own identity towards the AS (interface D): a token of role `ivr` signed with the shared
 * secret, renewed a minute before it expires so no request carries an expired one.
 */
export class ServiceToken {
  private current?: { token: string; expiresAt: number };

  constructor(
    private readonly instanceId: string,
    private readonly secret: string,
    private readonly now: () => number = Date.now,
  ) {}

  get(): string {
    if (this.current === undefined || this.current.expiresAt - this.now() < 60_000) {
      const issued = signToken({ sub: `ivr-${this.instanceId}`, roles: ['ivr'] }, this.secret);
      this.current = { token: issued.token, expiresAt: issued.expiresAt.getTime() };
    }
    return this.current.token;
  }
}
