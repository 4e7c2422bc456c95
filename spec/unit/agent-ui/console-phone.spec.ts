import { ApiError } from '../../../agent-ui/src/adapters/as-api';
import type { Softphone, SoftphoneAccount, SoftphoneState } from '../../../agent-ui/src/adapters/softphone';
import { ConsolePhone } from '../../../agent-ui/src/app/console-phone';
import { expect } from '../../support/chai';

/** The softphone's surface ConsolePhone uses, recording its calls (JsSIP itself is not started here). */
class PhoneDouble {
  started: SoftphoneAccount[] = [];
  autoAnswer = false;
  stops = 0;
  private fn: ((s: SoftphoneState) => void) | undefined;
  subscribe(fn: (s: SoftphoneState) => void) {
    this.fn = fn;
    return () => (this.fn = undefined);
  }
  emit(s: Partial<SoftphoneState>) {
    this.fn?.({ registration: 'off', muted: false, cameraOff: false, autoAnswer: this.autoAnswer, ...s });
  }
  setAutoAnswer(on: boolean) {
    this.autoAnswer = on;
  }
  start(a: SoftphoneAccount) {
    this.started.push(a);
  }
  stop() {
    this.stops++;
    this.emit({ registration: 'off' });
  }
}

const ACCOUNT = {
  wsUrl: 'wss://h/ws',
  uri: 'sip:webrtc-supervisor@h',
  password: 'p',
  username: 'webrtc-supervisor',
};
const tick = () => new Promise((r) => setTimeout(r, 0));

function make(sip: () => Promise<unknown>) {
  const double = new PhoneDouble();
  const phone = new ConsolePhone({ sip }, () => undefined, double as unknown as Softphone);
  return { double, phone };
}

describe('agent-ui console phone (the wallboard supervisor softphone)', () => {
  it('registers the account from /me/sip with auto-answer on, and follows the registration', async () => {
    const { double, phone } = make(() => Promise.resolve(ACCOUNT));
    phone.start();
    expect(phone.view.get().account).to.equal('loading');
    await tick();
    expect(double.started).to.deep.equal([{ ...ACCOUNT, register: true }]);
    expect(double.autoAnswer).to.equal(true);
    double.emit({ registration: 'registered' });
    expect(phone.view.get()).to.include({ account: 'ready', registration: 'registered', inCall: false });
    phone.stop();
    expect(double.stops).to.equal(1);
    expect(phone.view.get().registration).to.equal('off');
  });

  it('a 404 means no browser phone; another failure is an error; neither starts the phone', async () => {
    const none = make(() => Promise.reject(new ApiError(404, 'no webrtc endpoint')));
    none.phone.start();
    await tick();
    expect(none.phone.view.get().account).to.equal('none');
    expect(none.double.started).to.deep.equal([]);
    const down = make(() => Promise.reject(new ApiError(503, 'down')));
    down.phone.start();
    await tick();
    expect(down.phone.view.get().account).to.equal('error');
    const bad = make(() => Promise.resolve({ uri: 'sip:x@h' }));
    bad.phone.start();
    await tick();
    expect(bad.phone.view.get().account).to.equal('none');
    expect(bad.double.started).to.deep.equal([]);
  });

  it('an account arriving after the area closed starts nothing', async () => {
    let answer: (v: unknown) => void = () => undefined;
    const { double, phone } = make(() => new Promise((r) => (answer = r)));
    phone.start();
    phone.stop();
    answer(ACCOUNT);
    await tick();
    expect(double.started).to.deep.equal([]);
  });
});
