import { useState } from 'preact/hooks';
import { stateLabel, type DesktopController, type View } from '../app/desktop-controller';
import { useNow, useStore } from '../app/store';
import { keysOf } from '../domain/shortcuts';
import { formatDuration, timeInState, wrapUpSecondsLeft } from '../domain/timing';
import { STRINGS } from '../strings';
import { useId } from './common';

function RegistrationBadge(props: { controller: DesktopController }) {
  const phone = useStore(props.controller.phoneState);
  if (phone.registration === 'off') return null;
  const text =
    phone.registration === 'registered'
      ? STRINGS.sipRegistered
      : phone.registration === 'failed'
        ? STRINGS.sipFailed(phone.registrationError ?? '')
        : phone.registration === 'connecting'
          ? STRINGS.sipConnecting
          : STRINGS.sipUnregistered;
  return <span class={`badge sip sip-${phone.registration}`}>{text}</span>;
}

/** The header: who, which state since when, and the controls to change it. */
export function StateBar(props: { controller: DesktopController; view: View }) {
  const { controller, view } = props;
  const d = view.desktop;
  const now = useNow(1000);
  const reasons = view.settings?.notReadyReasons ?? [];
  const [reason, setReason] = useState('');
  const reasonId = useId('reason');
  const headingId = useId('state');
  const chosen = reason !== '' ? reason : (reasons[0]?.value ?? '');
  const left = d.status === 'wrap-up' ? wrapUpSecondsLeft(d.wrapUpEndsAt, now) : undefined;
  const loggedIn = d.status !== 'logged-out' && d.status !== 'choosing-device';
  return (
    <header class="statebar" aria-labelledby={headingId}>
      <div class="brand">
        <span class="logo" aria-hidden="true">
          ●
        </span>
        <h1 id={headingId} class="visually-hidden">
          {STRINGS.stateHeading}
        </h1>
        <span class="agent-name">{view.settings?.agent.displayName}</span>
      </div>
      <div class={`state state-${d.ctiState ?? 'unknown'}`}>
        <span class="state-label">{stateLabel(d)}</span>
        {d.reason !== undefined && d.status === 'not-ready' && <span class="state-reason">{d.reason}</span>}
        <span class="timer" title={STRINGS.timeInState}>
          <span class="visually-hidden">{STRINGS.timeInState} </span>
          {formatDuration(timeInState(d.since, now))}
        </span>
        {left !== undefined && (
          <span class="countdown" role="timer" aria-label={STRINGS.wrapUpLeft}>
            {STRINGS.wrapUpLeft} {formatDuration(left * 1000)}
          </span>
        )}
      </div>
      <div class="state-actions">
        {d.status === 'not-ready' && (
          <button
            type="button"
            class="primary"
            aria-keyshortcuts={keysOf('ready')}
            onClick={() => controller.ready()}
          >
            {STRINGS.goReady}
          </button>
        )}
        {loggedIn && d.status !== 'on-contact' && reasons.length > 0 && (
          <span class="reason-picker">
            <label for={reasonId} class="visually-hidden">
              {STRINGS.reasonLabel}
            </label>
            <select id={reasonId} value={chosen} onChange={(e) => setReason(e.currentTarget.value)}>
              {reasons.map((r) => (
                <option key={r.value} value={r.value}>
                  {r.label}
                </option>
              ))}
            </select>
            <button type="button" onClick={() => controller.notReady(chosen)}>
              {STRINGS.goNotReady}
            </button>
          </span>
        )}
        {d.status === 'logged-out' && (
          <>
            <button
              type="button"
              class="primary"
              onClick={() => controller.chooseDevice(d.device ?? 'softphone')}
            >
              {STRINGS.logIn}
            </button>
            <button type="button" onClick={() => controller.changeDevice()}>
              {STRINGS.changeDevice}
            </button>
          </>
        )}
        {loggedIn && d.status !== 'on-contact' && (
          <button type="button" onClick={() => controller.logout()}>
            {STRINGS.logOut}
          </button>
        )}
        <span class="device-badge badge">
          {STRINGS.deviceInUse}: {d.device === 'desk' ? STRINGS.deviceDesk : STRINGS.deviceSoftphone}
        </span>
        <RegistrationBadge controller={controller} />
        {(view.roles ?? []).some((r) => r === 'supervisor' || r === 'admin') && (
          <a class="link" href="console.html" target="_blank" rel="noopener">
            {STRINGS.consoleLink}
          </a>
        )}
        <button type="button" class="link" onClick={() => void controller.signOut()}>
          {STRINGS.signOut}
        </button>
      </div>
    </header>
  );
}
