import type { Request } from '@hapi/hapi';
import type { Role } from '../../lib/auth-token';

declare module '@hapi/hapi' {
  interface UserCredentials {
    id: string;
    roles: Role[];
  }
}

/** The caller as services see it: no HTTP types. */
export interface Caller {
  id: string;
  roles: Role[];
}

export function callerOf(request: Request): Caller {
  const user = request.auth.credentials.user;
  if (!user) throw new Error('route reached without authentication');
  return { id: user.id, roles: user.roles };
}

/** Supervisors and administrators see every contact; an agent only those offered to it. */
export function seesAllContacts(caller: Caller): boolean {
  return caller.roles.includes('supervisor') || caller.roles.includes('admin');
}
