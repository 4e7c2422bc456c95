import { signToken } from '../../lib/auth-token';
import { agentIdOf } from './agents';
import { asUrl } from './browser';

/** The running AS's REST API as a person uses it (sign in, then a bearer token), for setup and read-back. */
export class AsApi {
  private constructor(readonly token: string) {}

  /** Signs in with login and password. Never logs out: the AS's logout revokes every token of the account. */
  static async signIn(login: string, password: string): Promise<AsApi> {
    const res = await fetch(`${asUrl()}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login, password }),
    });
    if (!res.ok) throw new Error(`AS sign-in of ${login}: ${res.status} ${await res.text()}`);
    return new AsApi(((await res.json()) as { token: string }).token);
  }

  /**
   * The seeded administrator with a token signed from AUTH_TOKEN_SECRET (no sign-in: set-up and cleanup
   * around a test that signs in through the page). The AS checks that the account exists and is active.
   */
  static async admin(): Promise<AsApi> {
    const secret = process.env.AUTH_TOKEN_SECRET;
    if (!secret) throw new Error('AUTH_TOKEN_SECRET not set (load .run/secrets.env)');
    return new AsApi(signToken({ sub: await agentIdOf('admin'), roles: ['admin'] }, secret).token);
  }

  async request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> {
    const res = await fetch(`${asUrl()}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text === '' ? undefined : JSON.parse(text)) as T };
  }

  async ok<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const r = await this.request<T>(method, path, body);
    if (r.status >= 300) throw new Error(`AS ${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  /** A customer with one phone number (E.164), for the screen pop to find; resolves with its id. */
  async createCustomer(c: { firstName: string; lastName: string; phone: string }): Promise<string> {
    const made = await this.ok<{ id: string }>('POST', '/api/v1/customers', {
      firstName: c.firstName,
      lastName: c.lastName,
      phones: [c.phone],
    });
    return made.id;
  }

  async deleteCustomer(id: string): Promise<void> {
    const r = await this.request('DELETE', `/api/v1/customers/${id}`);
    if (r.status !== 204 && r.status !== 200 && r.status !== 404) {
      throw new Error(`AS DELETE customer ${id}: ${r.status} ${JSON.stringify(r.body)}`);
    }
  }

  /** The contact's interaction record (its id is the contact id). */
  async interaction(contactId: string): Promise<{ id: string; disposition?: string; [k: string]: unknown }> {
    return this.ok('GET', `/api/v1/interactions/${encodeURIComponent(contactId)}`);
  }
}

/** `/api/v1` + `path` as the seeded administrator (AsApi.admin); throws unless the AS answers 2xx. */
export async function asAdmin(method: string, path: string, body?: unknown): Promise<unknown> {
  return (await AsApi.admin()).ok(method, `/api/v1${path}`, body);
}
