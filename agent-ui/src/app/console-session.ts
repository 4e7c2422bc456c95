import { AsApi, ApiError, type Session } from '../adapters/as-api';
import { STRINGS } from '../strings';
import { Store } from './store';

/**
 * The supervisor's and administrator's console (console.html): the AS session and the person's roles.
 * The areas (wallboard, reports, administration, flows) each take this session and talk to the AS
 * (`api`) or CTI themselves; what a person may open follows the roles of the token the AS issued, and
 * the servers check every request again.
 */
export type ConsoleArea = 'wallboard' | 'reports' | 'admin' | 'flows';

const AREAS_BY_ROLE: ReadonlyArray<readonly [string, readonly ConsoleArea[]]> = [
  ['supervisor', ['wallboard', 'reports']],
  ['admin', ['wallboard', 'reports', 'admin', 'flows']],
];
const ORDER: readonly ConsoleArea[] = ['wallboard', 'reports', 'admin', 'flows'];

export function areasFor(roles: readonly string[]): ConsoleArea[] {
  const allowed = new Set<ConsoleArea>();
  for (const [role, areas] of AREAS_BY_ROLE) if (roles.includes(role)) for (const a of areas) allowed.add(a);
  return ORDER.filter((a) => allowed.has(a));
}

export interface ConsoleView {
  status: 'signed-out' | 'signing-in' | 'signed-in';
  session?: Session;
  areas: ConsoleArea[];
  error?: string;
}

/** The same key as the desktop's: a person who is agent and supervisor signs in once per tab. */
const SESSION_KEY = 'ipcc.session';
/** Refresh this long before the token expires. */
const REFRESH_MARGIN_MS = 60_000;

export class ConsoleSession {
  readonly api = new AsApi();
  readonly view = new Store<ConsoleView>({ status: 'signed-out', areas: [] });
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly storage: Storage = sessionStorage) {}

  /** The current token (CTI's supervisor socket authenticates with it). */
  token(): string {
    return this.view.get().session?.token ?? '';
  }

  async resume(): Promise<void> {
    const saved = this.storage.getItem(SESSION_KEY);
    if (saved === null) return;
    this.view.update({ status: 'signing-in' });
    try {
      const s = JSON.parse(saved) as Session;
      if (!(s.expiresAt > Date.now())) throw new Error('expired');
      this.api.setToken(s.token);
      this.started(await this.api.refresh());
    } catch {
      this.end();
    }
  }

  async signIn(login: string, password: string): Promise<void> {
    this.view.update({ status: 'signing-in', error: undefined });
    try {
      this.started(await this.api.login(login, password));
    } catch (err) {
      const error =
        err instanceof ApiError && err.status === 401
          ? STRINGS.badCredentials
          : err instanceof ApiError && err.status === 429
            ? STRINGS.tooManyAttempts
            : STRINGS.serverUnreachable;
      this.view.set({ status: 'signed-out', areas: [], error });
    }
  }

  /** A fresh token now (the supervisor socket's refresh, agent-ui/src/app/wallboard.ts): kept from here. */
  async refresh(): Promise<{ token: string; expiresAt: number }> {
    const session = await this.api.refresh();
    this.started(session);
    return session;
  }

  async signOut(): Promise<void> {
    await this.api.logout().catch(() => undefined);
    this.end();
  }

  private started(session: Session): void {
    const areas = areasFor(session.agent?.roles ?? []);
    if (areas.length === 0) {
      this.end();
      this.view.update({ error: STRINGS.consoleNotAllowed });
      return;
    }
    this.api.setToken(session.token);
    this.storage.setItem(SESSION_KEY, JSON.stringify({ token: session.token, expiresAt: session.expiresAt }));
    this.view.set({ status: 'signed-in', session, areas });
    this.scheduleRefresh(session.expiresAt);
  }

  private scheduleRefresh(expiresAt: number): void {
    clearTimeout(this.refreshTimer);
    const wait = Math.max(5_000, expiresAt - Date.now() - REFRESH_MARGIN_MS);
    this.refreshTimer = setTimeout(() => {
      this.api.refresh().then(
        (s) => this.started(s),
        () => {
          this.end();
          this.view.update({ error: STRINGS.sessionExpired });
        },
      );
    }, wait);
  }

  private end(): void {
    clearTimeout(this.refreshTimer);
    this.storage.removeItem(SESSION_KEY);
    this.api.setToken(undefined);
    this.view.set({ status: 'signed-out', areas: [] });
  }
}
