import type { DesktopController } from '../app/desktop-controller';
import type { Device } from '../domain/interface-a';
import { STRINGS } from '../strings';
import { useId } from './common';

export function DeviceChoice(props: {
  controller: DesktopController;
  devices: { softphone: boolean; desk: boolean };
  current?: Device;
}) {
  const headingId = useId('device');
  const choices: Array<{ device: Device; label: string; hint: string }> = [];
  if (props.devices.softphone) {
    choices.push({ device: 'softphone', label: STRINGS.deviceSoftphone, hint: STRINGS.deviceSoftphoneHint });
  }
  if (props.devices.desk) {
    choices.push({ device: 'desk', label: STRINGS.deviceDesk, hint: STRINGS.deviceDeskHint });
  }
  return (
    <main class="center">
      <section class="card device" aria-labelledby={headingId}>
        <h1 id={headingId}>{STRINGS.deviceHeading}</h1>
        <ul class="choices">
          {choices.map((c) => (
            <li key={c.device}>
              <button
                type="button"
                class={`choice ${props.current === c.device ? 'current' : ''}`}
                onClick={() => props.controller.chooseDevice(c.device)}
              >
                <strong>{c.label}</strong>
                <span>{c.hint}</span>
              </button>
            </li>
          ))}
        </ul>
        <button type="button" class="link" onClick={() => void props.controller.signOut()}>
          {STRINGS.signOut}
        </button>
      </section>
    </main>
  );
}
