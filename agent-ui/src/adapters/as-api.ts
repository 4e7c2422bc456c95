/** The AS's REST API (same origin as the page), with the agent's bearer token. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfter?: number,
    /** The AS's per-field reasons of a 400 (`details: [{path, message}]`), to show beside each field. */
    readonly details?: readonly { path: string; message: string }[],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface Session {
  token: string;
  /** ms epoch */
  expiresAt: number;
  agent?: { id?: string; login?: string; displayName?: string; roles?: string[] };
}

type Fetch = typeof fetch;

/** `details` of an error answer when it is a list of `{path, message}` (validation), else nothing. */
export function fieldDetails(data: unknown): { path: string; message: string }[] | undefined {
  const details =
    typeof data === 'object' && data !== null ? (data as { details?: unknown }).details : undefined;
  if (!Array.isArray(details)) return undefined;
  const out = details.flatMap((d: unknown) => {
    const { path, message } = (typeof d === 'object' && d !== null ? d : {}) as Record<string, unknown>;
    return typeof path === 'string' && typeof message === 'string' ? [{ path, message }] : [];
  });
  return out.length > 0 ? out : undefined;
}

export class AsApi {
  private token: string | undefined;

  constructor(
    private readonly base = '',
    private readonly fetchImpl: Fetch = (...a) => fetch(...a),
  ) {}

  setToken(token: string | undefined): void {
    this.token = token;
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.token !== undefined) headers.authorization = `Bearer ${this.token}`;
    let res: Response;
    try {
      res = await this.fetchImpl(this.base + path, {
        method,
        headers,
        cache: 'no-store',
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (err) {
      throw new ApiError(0, err instanceof Error ? err.message : String(err));
    }
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    let data: unknown;
    try {
      data = text === '' ? undefined : JSON.parse(text);
    } catch {
      // not JSON (a proxy's error page): the status says enough
    }
    if (!res.ok) {
      const message =
        typeof data === 'object' &&
        data !== null &&
        typeof (data as { message?: unknown }).message === 'string'
          ? (data as { message: string }).message
          : res.statusText;
      const retry = Number(res.headers.get('retry-after'));
      throw new ApiError(
        res.status,
        message,
        Number.isFinite(retry) && retry > 0 ? retry : undefined,
        fieldDetails(data),
      );
    }
    return data as T;
  }

  private static session(raw: { token: string; expiresAt: string; agent?: Session['agent'] }): Session {
    return {
      token: raw.token,
      expiresAt: Date.parse(raw.expiresAt),
      ...(raw.agent ? { agent: raw.agent } : {}),
    };
  }

  async login(login: string, password: string): Promise<Session> {
    const raw = await this.request<{ token: string; expiresAt: string; agent?: Session['agent'] }>(
      'POST',
      '/api/v1/auth/login',
      { login, password },
    );
    return AsApi.session(raw);
  }

  async refresh(): Promise<Session> {
    const raw = await this.request<{ token: string; expiresAt: string; agent?: Session['agent'] }>(
      'POST',
      '/api/v1/auth/refresh',
    );
    return AsApi.session(raw);
  }

  logout(): Promise<void> {
    return this.request('POST', '/api/v1/auth/logout');
  }

  desktop(): Promise<unknown> {
    return this.request('GET', '/api/v1/me/desktop');
  }

  sip(): Promise<unknown> {
    return this.request('GET', '/api/v1/me/sip');
  }

  screenPop(contactId: string): Promise<unknown> {
    return this.request('GET', `/api/v1/screen-pop/${encodeURIComponent(contactId)}`);
  }

  createCustomer(input: Record<string, unknown>): Promise<unknown> {
    return this.request('POST', '/api/v1/customers', input);
  }

  updateCustomer(id: string, input: Record<string, unknown>): Promise<unknown> {
    return this.request('PATCH', `/api/v1/customers/${encodeURIComponent(id)}`, input);
  }

  setDisposition(contactId: string, disposition: string): Promise<unknown> {
    return this.request('PUT', `/api/v1/interactions/${encodeURIComponent(contactId)}/disposition`, {
      disposition,
    });
  }

  addNote(contactId: string, text: string): Promise<unknown> {
    return this.request('POST', `/api/v1/interactions/${encodeURIComponent(contactId)}/notes`, { text });
  }

  guestCall(number: string): Promise<unknown> {
    return this.request('POST', '/api/v1/guest/calls', { number });
  }
}
