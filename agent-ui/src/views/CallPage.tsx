import { useEffect, useState } from 'preact/hooks';
import { ApiError, AsApi } from '../adapters/as-api';
import type { Softphone } from '../adapters/softphone';
import { useStore, Store } from '../app/store';
import { guestCallOf } from '../domain/guest';
import { STRINGS } from '../strings';
import { Keypad, Video } from './common';

type Phase = 'idle' | 'calling' | 'active' | 'ended' | 'failed';

function errorText(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 429) return STRINGS.guestRateLimited;
    if (err.status === 403 || err.status === 404 || err.status === 400) return STRINGS.guestRefused;
    if (err.status === 0) return STRINGS.serverUnreachable;
    return STRINGS.callFailed(err.message);
  }
  if (err instanceof DOMException && (err.name === 'NotAllowedError' || err.name === 'NotFoundError')) {
    return STRINGS.noCamera;
  }
  return STRINGS.callFailed(err instanceof Error ? err.message : String(err));
}

/** The customer's web video call: one guest call to the number in the page's path. */
export function CallPage(props: { number: string | undefined; phone: Softphone; api: AsApi }) {
  const { phone, api, number } = props;
  const [store] = useState(() => new Store(phone.state));
  const state = useStore(store);
  const [phase, setPhase] = useState<Phase>('idle');
  const [error, setError] = useState<string>();
  useEffect(() => phone.subscribe((s) => store.set(s)), [phone, store]);
  useEffect(() => {
    const status = state.call?.status;
    if (status === 'active') setPhase('active');
    if (status === 'ended' && (phase === 'calling' || phase === 'active')) {
      const cause = state.call?.endCause;
      const normal = phase === 'active' || cause === 'Terminated' || cause === 'Canceled';
      setPhase(normal ? 'ended' : 'failed');
      if (!normal) setError(STRINGS.callFailed(cause ?? ''));
      phone.stop();
    }
  }, [state.call?.status]);

  const start = async () => {
    if (number === undefined) return;
    setError(undefined);
    setPhase('calling');
    try {
      const guest = guestCallOf(await api.guestCall(number), number, location);
      phone.start({ wsUrl: guest.wsUrl, uri: guest.uri, register: false });
      await phone.waitConnected();
      await phone.call(guest.target, [`X-Guest-Token: ${guest.token}`]);
    } catch (err) {
      phone.stop();
      setError(errorText(err));
      setPhase('failed');
    }
  };

  const busy = phase === 'calling' || phase === 'active';
  return (
    <main class="callpage">
      <section class="card call-card" aria-labelledby="call-title">
        <h1 id="call-title">{STRINGS.callTitle}</h1>
        {number === undefined ? (
          <p class="error" role="alert">
            {STRINGS.noNumber}
          </p>
        ) : (
          <p class="muted">{STRINGS.callIntro(number)}</p>
        )}
        <div class="videos">
          <Video class="remote" stream={busy ? state.remoteStream : undefined} label={STRINGS.theirVideo} />
          <Video class="local" stream={state.localStream} label={STRINGS.yourVideo} muted />
        </div>
        <p role="status" aria-live="polite" class="call-status">
          {phase === 'calling'
            ? STRINGS.calling
            : phase === 'active'
              ? STRINGS.inCall
              : phase === 'ended'
                ? STRINGS.callEnded
                : ''}
        </p>
        {error !== undefined && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        {!busy && number !== undefined && (
          <button type="button" class="primary wide" onClick={() => void start()}>
            {phase === 'idle' ? STRINGS.startCall : STRINGS.callAgain}
          </button>
        )}
        {busy && (
          <>
            <p class="muted">{STRINGS.keypadHint}</p>
            <Keypad
              label={STRINGS.dtmfHeading}
              onKey={(k) => phone.sendDtmf(k)}
              disabled={phase !== 'active'}
            />
            <div class="row center-row">
              <button type="button" aria-pressed={state.muted} onClick={() => phone.setMuted(!state.muted)}>
                {STRINGS.mute}
              </button>
              <button
                type="button"
                aria-pressed={state.cameraOff}
                onClick={() => phone.setCameraOff(!state.cameraOff)}
              >
                {STRINGS.cameraOff}
              </button>
              <button type="button" class="danger" onClick={() => phone.hangup()}>
                {STRINGS.hangUp}
              </button>
            </div>
          </>
        )}
      </section>
    </main>
  );
}
