import type { ServiceToken } from './service-token';

export class InterfaceDError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'InterfaceDError';
  }
}

/** GET on the AS's interface D with the IVR's token; 404 is an answer (no flow, unknown caller), not an error. */
export function interfaceD(baseUrl: string, token: ServiceToken, timeoutMs = 3000) {
  return async (path: string): Promise<unknown> => {
    const res = await fetch(`${baseUrl}/api/v1${path}`, {
      headers: { authorization: `Bearer ${token.get()}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (res.status === 404) return undefined;
    if (!res.ok) throw new InterfaceDError(res.status, `AS ${path}: HTTP ${res.status} ${await res.text()}`);
    return res.json();
  };
}

export type InterfaceD = ReturnType<typeof interfaceD>;
