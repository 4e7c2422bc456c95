import { ApiError, AsApi, type Session } from '../adapters/as-api';
import { CtiSocket, type ConnectionStatus } from '../adapters/cti-socket';
import { MessagesApi } from '../adapters/messages-api';
import { Ringer } from '../adapters/ringer';
import { Softphone, type SoftphoneState } from '../adapters/softphone';
import { initialState, reduce, type DesktopEvent, type DesktopState } from '../domain/desktop-machine';
import { isTaskMessage, type ClientMessage, type Device, type TransferTo } from '../domain/interface-a';
import { screenPopView, type ScreenPopView } from '../domain/screen-pop';
import { ctiUrlFor, parseDesktopSettings, parseSipAccount, type DesktopSettings } from '../domain/settings';
import { STRINGS } from '../strings';
import { Store } from './store';
import { TasksController } from './tasks';

export interface PopState {
  contactId: string;
  status: 'loading' | 'ok' | 'failed';
  view?: ScreenPopView;
}

export interface View {
  desktop: DesktopState;
  connection: ConnectionStatus | undefined;
  settings?: DesktopSettings;
  pop?: PopState;
  /** The last sign-in error, worded for the agent. */
  signInError?: string;
  /** What the live region reads out: the latest state change. */
  announcement: string;
  /** The signed-in person's roles (a supervisor or administrator also gets a link to the console). */
  roles?: string[];
}

const SESSION_KEY = 'ipcc.session';
const AUTO_ANSWER_KEY = 'ipcc.autoAnswer';
/** Delays before asking again for a screen pop the AS does not yet let this agent read. */
const POP_RETRIES_MS = [50, 100, 200, 400, 800, 1600];

/**
 * The desktop's composition: builds the adapters (CTI socket, AS API, softphone, ringer), feeds every
 * interface A message through the state table and carries out what the agent clicks.
 */
export class DesktopController {
  readonly api = new AsApi();
  readonly phone = new Softphone((m, d) => this.log(m, d));
  readonly ringer = new Ringer();
  readonly view = new Store<View>({ desktop: initialState(), connection: undefined, announcement: '' });
  readonly phoneState = new Store<SoftphoneState>(this.phone.state);
  /** The inbox (e-mail, SMS, fax tasks): CTI's task messages go there, not through the call's table. */
  readonly tasks = new TasksController({
    send: (m) => this.send(m),
    messages: new MessagesApi(() => this.session?.token),
    saveWrapUp: (contactId, disposition, notes) => this.saveWrapUp(contactId, disposition, notes),
    log: (m, d) => this.log(m, d),
  });
  private session: Session | undefined;
  private cti: CtiSocket | undefined;

  constructor(
    private readonly storage: Storage = sessionStorage,
    private readonly prefs: Storage = localStorage,
  ) {
    // The agent's auto-answer choice is a preference of this browser, kept across sessions.
    if (this.prefs.getItem(AUTO_ANSWER_KEY) === 'on') this.phone.setAutoAnswer(true);
    this.phone.subscribe((s) => {
      this.phoneState.set(s);
      this.updateRinger();
    });
  }

  log(message: string, data?: unknown): void {
    console.info(`[agent-ui] ${message}`, data ?? '');
  }

  private dispatch(event: DesktopEvent): void {
    const before = this.view.get().desktop;
    const step = reduce(before, event, Date.now());
    if (step.problem !== undefined) this.log(`refused: ${step.problem}`);
    const after = step.state;
    const patch: Partial<View> = { desktop: after };
    if (after.status !== before.status || after.ctiState !== before.ctiState) {
      patch.announcement = STRINGS.nowState(stateLabel(after));
    }
    this.view.update(patch);
    if (after.contact?.contactId !== before.contact?.contactId && after.contact !== undefined) {
      this.loadPop(after.contact.contactId);
    }
    if (after.contact === undefined && before.contact !== undefined && after.afterCall === undefined) {
      this.view.update({ pop: undefined });
    }
    this.updateRinger();
  }

  /** Rings while a call is offered and the agent answers in the page (softphone, not auto-answered). */
  private updateRinger(): void {
    const d = this.view.get().desktop;
    const ringing =
      d.contact?.phase === 'offered' &&
      d.device !== 'desk' &&
      !this.phone.state.autoAnswer &&
      this.phone.state.call?.status !== 'active';
    if (ringing) this.ringer.start();
    else this.ringer.stop();
  }

  // ---- sign-in and session ----

  /** After a reload: the tab's session, if still valid, skips the sign-in form. */
  async resume(): Promise<void> {
    const saved = this.storage.getItem(SESSION_KEY);
    if (saved === null) return;
    try {
      const s = JSON.parse(saved) as Session;
      if (!(s.expiresAt > Date.now())) throw new Error('expired');
      this.dispatch({ type: 'sign-in' });
      this.api.setToken(s.token);
      await this.started(await this.api.refresh());
    } catch (err) {
      this.storage.removeItem(SESSION_KEY);
      this.api.setToken(undefined);
      if (this.view.get().desktop.status === 'signing-in') {
        this.dispatch({ type: 'sign-in-failed', error: String(err) });
      }
    }
  }

  async signIn(login: string, password: string): Promise<void> {
    this.dispatch({ type: 'sign-in' });
    this.view.update({ signInError: undefined });
    try {
      await this.started(await this.api.login(login, password));
    } catch (err) {
      const text = signInErrorText(err);
      this.view.update({ signInError: text });
      this.dispatch({ type: 'sign-in-failed', error: text });
    }
  }

  private async started(session: Session): Promise<void> {
    this.setSession(session);
    const settings = parseDesktopSettings(await this.api.desktop());
    this.view.update({ settings });
    this.startSoftphone();
    this.tasks.start();
    this.cti = new CtiSocket({
      url: ctiUrlFor(settings, location),
      token: () => this.session?.token ?? '',
      refreshToken: async () => {
        const fresh = await this.api.refresh();
        this.setSession(fresh);
        return fresh;
      },
      onMessage: (m) => {
        this.tasks.onServer(m);
        if (!isTaskMessage(m)) this.dispatch(m);
      },
      onStatus: (s) => this.onConnection(s),
      log: (m, d) => this.log(m, d),
    });
    this.cti.start();
  }

  /** Registers the softphone with credentials fetched now (never kept in the page's source). */
  private startSoftphone(): void {
    if (this.view.get().settings?.devices.softphone !== true) return;
    this.api.sip().then(
      (raw) => {
        const account = parseSipAccount(raw);
        if (account) this.phone.start({ ...account, register: true });
        else this.log('no softphone account');
      },
      (err: unknown) => this.log('softphone account unavailable', String(err)),
    );
  }

  private setSession(session: Session): void {
    this.session = session;
    this.view.update({ roles: session.agent?.roles ?? [] });
    this.api.setToken(session.token);
    this.storage.setItem(SESSION_KEY, JSON.stringify({ token: session.token, expiresAt: session.expiresAt }));
  }

  private onConnection(s: ConnectionStatus): void {
    this.view.update({ connection: s });
    // The tab that took over registers the same SIP account: this one stops ringing.
    // A call in progress is left to end on its own: hanging it up would drop the customer.
    if (s.kind === 'superseded') this.phone.stopWhenIdle();
    if (s.kind === 'unauthorized') {
      this.view.update({ signInError: STRINGS.sessionExpired });
      this.end();
    }
  }

  async signOut(): Promise<void> {
    if (this.view.get().desktop.ctiState !== 'logged-out') this.send({ type: 'logout' });
    await this.api.logout().catch((err: unknown) => this.log('logout failed', String(err)));
    this.end();
  }

  private end(): void {
    this.cti?.stop();
    this.cti = undefined;
    this.phone.stop();
    this.ringer.stop();
    this.tasks.reset();
    this.session = undefined;
    this.api.setToken(undefined);
    this.storage.removeItem(SESSION_KEY);
    this.dispatch({ type: 'signed-out' });
    this.view.update({ pop: undefined, settings: undefined, connection: undefined });
  }

  setAutoAnswer(on: boolean): void {
    this.prefs.setItem(AUTO_ANSWER_KEY, on ? 'on' : 'off');
    this.phone.setAutoAnswer(on);
  }

  reconnectNow(): void {
    this.cti?.reconnectNow();
  }

  /** "Use this tab" after being superseded: this tab takes over again. */
  takeOver(): void {
    this.cti?.stop();
    this.cti?.start();
    this.startSoftphone();
  }

  // ---- agent state ----

  send(m: ClientMessage): void {
    this.cti?.send(m);
  }

  chooseDevice(device: Device): void {
    this.dispatch({ type: 'choose-device', device });
    this.send({ type: 'login', device });
  }

  changeDevice(): void {
    this.dispatch({ type: 'change-device' });
  }

  ready(): void {
    this.send({ type: 'ready' });
  }

  notReady(reason: string): void {
    this.send({ type: 'not-ready', reason });
  }

  logout(): void {
    this.send({ type: 'logout' });
  }

  dismissNotice(): void {
    this.dispatch({ type: 'dismiss-notice' });
  }

  // ---- the contact ----

  private contactId(): string | undefined {
    return this.view.get().desktop.contact?.contactId;
  }

  accept(): void {
    const id = this.contactId();
    if (id === undefined) return;
    if (this.view.get().desktop.device !== 'desk') this.phone.answer();
    this.send({ type: 'answer', contactId: id });
  }

  reject(): void {
    this.phone.reject();
  }

  hangup(): void {
    const id = this.contactId();
    if (id !== undefined) this.send({ type: 'hangup', contactId: id });
    else this.phone.hangup();
  }

  hold(): void {
    const c = this.view.get().desktop.contact;
    if (c === undefined) return;
    this.send({ type: c.phase === 'held' ? 'retrieve' : 'hold', contactId: c.contactId });
  }

  transfer(to: TransferTo): void {
    const id = this.contactId();
    if (id !== undefined) this.send({ type: 'transfer', contactId: id, to });
  }

  consult(to: TransferTo): void {
    const id = this.contactId();
    if (id !== undefined) this.send({ type: 'consult', contactId: id, to });
  }

  completeTransfer(): void {
    const id = this.contactId();
    if (id !== undefined) this.send({ type: 'complete-transfer', contactId: id });
  }

  cancelConsult(): void {
    const id = this.contactId();
    if (id !== undefined) this.send({ type: 'cancel-consult', contactId: id });
  }

  conference(): void {
    const id = this.contactId();
    if (id !== undefined) this.send({ type: 'conference', contactId: id });
  }

  takeBack(): void {
    const id = this.contactId();
    if (id === undefined) return;
    // The held call rings the softphone again: answer it without a click.
    if (this.view.get().desktop.device !== 'desk') this.phone.expectAutoAnswer();
    this.send({ type: 'take-back', contactId: id });
  }

  dial(number: string, queueId?: string): void {
    if (this.view.get().desktop.device !== 'desk') this.phone.expectAutoAnswer();
    this.send({ type: 'dial', number, ...(queueId ? { queueId } : {}) });
  }

  // ---- AS: screen pop, customer, wrap-up ----

  /**
   * The AS's screen pop. CTI offers before the contact's record names this agent (it writes it right
   * after), so a 403/404 is asked again a few times, quickly: the pop is due within a second.
   */
  loadPop(contactId: string, attempt = 0): void {
    if (attempt === 0) this.view.update({ pop: { contactId, status: 'loading' } });
    this.api.screenPop(contactId).then(
      (raw) => {
        if (this.view.get().pop?.contactId !== contactId) return;
        this.view.update({ pop: { contactId, status: 'ok', view: screenPopView(raw) } });
      },
      (err: unknown) => {
        if (this.view.get().pop?.contactId !== contactId) return;
        const early = err instanceof ApiError && (err.status === 403 || err.status === 404);
        if (early && attempt < POP_RETRIES_MS.length) {
          setTimeout(() => this.loadPop(contactId, attempt + 1), POP_RETRIES_MS[attempt]);
          return;
        }
        this.log('screen pop failed', String(err));
        this.view.update({ pop: { contactId, status: 'failed' } });
      },
    );
  }

  async saveCustomer(id: string | undefined, input: Record<string, unknown>): Promise<void> {
    const contactId = this.view.get().pop?.contactId;
    if (id === undefined) {
      await this.api.createCustomer({ ...input, ...(contactId ? { contactId } : {}) });
    } else {
      await this.api.updateCustomer(id, input);
    }
    if (contactId !== undefined) this.loadPop(contactId);
  }

  async saveWrapUp(contactId: string, disposition: string, notes: string): Promise<void> {
    if (disposition !== '') await this.api.setDisposition(contactId, disposition);
    if (notes.trim() !== '') await this.api.addNote(contactId, notes.trim());
  }

  /** "Ready" in wrap-up: the form is done and CTI ends the wrap-up early. */
  finishWrapUp(): void {
    this.dispatch({ type: 'after-call-done' });
    this.view.update({ pop: undefined });
    this.ready();
  }

  closeAfterCall(): void {
    this.dispatch({ type: 'after-call-done' });
    if (this.view.get().desktop.contact === undefined) this.view.update({ pop: undefined });
  }
}

export function stateLabel(d: DesktopState): string {
  switch (d.ctiState) {
    case 'logged-out':
      return STRINGS.state_logged_out;
    case 'not-ready':
      return STRINGS.state_not_ready;
    case 'ready':
      return STRINGS.state_ready;
    case 'reserved':
      return STRINGS.state_reserved;
    case 'ringing':
      return STRINGS.state_ringing;
    case 'talking':
      return STRINGS.state_talking;
    case 'wrap-up':
      return STRINGS.state_wrap_up;
    default:
      return STRINGS.state_unknown;
  }
}

function signInErrorText(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 401 || err.status === 400) return STRINGS.badCredentials;
    if (err.status === 429) return STRINGS.tooManyAttempts;
    if (err.status === 403) return STRINGS.notAnAgent;
    if (err.status === 0) return STRINGS.serverUnreachable;
    return `${STRINGS.signInFailed}: ${err.message}`;
  }
  return `${STRINGS.signInFailed}: ${String(err)}`;
}
