import type { ConsolePhoneView } from '../../../app/console-phone';
import { STRINGS } from '../../../strings';
import { StreamAudio } from '../../common';

function phoneText(phone: ConsolePhoneView): string {
  if (phone.account === 'none') return STRINGS.flowTestPhoneNone;
  if (phone.account === 'error') return STRINGS.flowTestPhoneError;
  if (phone.account === 'loading') return STRINGS.flowTestPhoneLoading;
  return phone.registration === 'registered' ? STRINGS.flowTestPhoneReady : STRINGS.flowTestPhoneOff;
}

/**
 * The toolbar's "Test call": rings the person's browser softphone (registered while the flows area is
 * open) into the draft; it answers by itself, and "Hang up" ends the call. Refused in the page when the
 * softphone is not registered, since the call would ring nowhere.
 */
export function TestCallControls(props: {
  phone: ConsolePhoneView;
  busy: boolean;
  onTestCall: () => void;
  onHangUp: () => void;
}) {
  const ready = props.phone.account === 'ready' && props.phone.registration === 'registered';
  return (
    <span class="flow-test-call">
      <span class="flow-phone-state muted" data-registration={props.phone.registration}>
        {phoneText(props.phone)}
      </span>
      {props.phone.inCall ? (
        <button type="button" class="danger" onClick={props.onHangUp}>
          {STRINGS.flowTestHangUp}
        </button>
      ) : (
        <button
          type="button"
          title={STRINGS.flowTestCallHint}
          disabled={props.busy || !ready}
          onClick={props.onTestCall}
        >
          {STRINGS.flowTestCall}
        </button>
      )}
      <StreamAudio stream={props.phone.remoteStream} label={STRINGS.flowTestPhoneAudio} />
    </span>
  );
}
