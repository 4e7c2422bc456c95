import { ApiError } from '../adapters/as-api';
import { Softphone, type Registration } from '../adapters/softphone';
import { parseSipAccount } from '../domain/settings';
import { Store } from './store';

/**
 * The supervisor's browser softphone on the wallboard (and the administrator's in the flow editor, for
 * its test calls): registered with the person's own SIP account
 * (GET /api/v1/me/sip, fetched when the area opens, never kept in the page's source) and answering
 * every call by itself, since the only calls it gets are the supervision calls (or test calls) the
 * person asked for.
 * `account`: 'loading' until the AS answered; 'none' when the person has no browser endpoint (404),
 * 'error' when the AS could not be asked: in both the desk phone is the only way to listen.
 */
export interface ConsolePhoneView {
  account: 'loading' | 'ready' | 'none' | 'error';
  registration: Registration;
  registrationError?: string;
  remoteStream?: MediaStream;
  inCall: boolean;
}

export class ConsolePhone {
  readonly view = new Store<ConsolePhoneView>({ account: 'loading', registration: 'off', inCall: false });
  private readonly phone: Softphone;
  private unsubscribe: (() => void) | undefined;
  private stopped = false;

  constructor(
    private readonly api: { sip(): Promise<unknown> },
    private readonly log: (message: string, data?: unknown) => void = (m, d) =>
      console.info('[console-phone]', m, d ?? ''),
    phone?: Softphone,
  ) {
    this.phone = phone ?? new Softphone(log);
  }

  start(): void {
    this.stopped = false;
    this.unsubscribe?.();
    this.unsubscribe = this.phone.subscribe((s) =>
      this.view.update({
        registration: s.registration,
        registrationError: s.registrationError,
        remoteStream: s.remoteStream,
        inCall: s.call !== undefined && s.call.status !== 'ended',
      }),
    );
    this.view.update({ account: 'loading' });
    this.api.sip().then(
      (raw) => {
        if (this.stopped) return;
        const account = parseSipAccount(raw);
        if (account === undefined) {
          this.log('no softphone account');
          this.view.update({ account: 'none' });
          return;
        }
        this.view.update({ account: 'ready' });
        this.phone.setAutoAnswer(true);
        this.phone.start({ ...account, register: true });
      },
      (err: unknown) => {
        if (this.stopped) return;
        this.log('softphone account unavailable', String(err));
        this.view.update({ account: err instanceof ApiError && err.status === 404 ? 'none' : 'error' });
      },
    );
  }

  /** Ends the call in progress (a flow editor's test call); the registration stays. */
  hangUp(): void {
    this.phone.hangup();
  }

  /** Unregisters (JsSIP sends REGISTER Expires: 0) and hangs up a supervision call in progress. */
  stop(): void {
    this.stopped = true;
    this.phone.stop();
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }
}
