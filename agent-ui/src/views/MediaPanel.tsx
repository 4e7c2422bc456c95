import { useEffect, useState } from 'preact/hooks';
import { listDevices } from '../adapters/softphone';
import type { DesktopController } from '../app/desktop-controller';
import { useStore } from '../app/store';
import { STRINGS } from '../strings';
import { Keypad, Region, Video, useId } from './common';

function DeviceSelect(props: { label: string; devices: MediaDeviceInfo[]; onChange: (id: string) => void }) {
  const id = useId('dev');
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <select id={id} onChange={(e) => props.onChange(e.currentTarget.value)}>
        <option value="">{STRINGS.defaultDevice}</option>
        {props.devices.map((d, i) => (
          <option key={d.deviceId || i} value={d.deviceId}>
            {d.label || `${props.label} ${i + 1}`}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The softphone's media: the caller's video, the agent's preview, and the controls of both. */
export function MediaPanel(props: { controller: DesktopController }) {
  const { controller } = props;
  const phone = useStore(controller.phoneState);
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  const autoId = useId('auto');
  const inCall = phone.call !== undefined && phone.call.status !== 'ended';
  useEffect(() => {
    const load = () => void listDevices().then(setDevices, () => setDevices([]));
    load();
    navigator.mediaDevices?.addEventListener?.('devicechange', load);
    return () => navigator.mediaDevices?.removeEventListener?.('devicechange', load);
  }, [phone.localStream]);
  const of = (kind: MediaDeviceKind) => devices.filter((d) => d.kind === kind);
  return (
    <Region title={STRINGS.videoHeading} class="media">
      {inCall || phone.localStream !== undefined ? (
        <div class="videos">
          <Video
            class="remote"
            stream={inCall ? phone.remoteStream : undefined}
            label={STRINGS.remoteVideo}
          />
          <Video class="local" stream={phone.localStream} label={STRINGS.localVideo} muted />
        </div>
      ) : (
        <p class="muted no-video">{STRINGS.noVideo}</p>
      )}
      <div class="row">
        <button
          type="button"
          aria-pressed={phone.muted}
          onClick={() => controller.phone.setMuted(!phone.muted)}
          disabled={!inCall}
        >
          {STRINGS.mute}
        </button>
        <button
          type="button"
          aria-pressed={phone.cameraOff}
          onClick={() => controller.phone.setCameraOff(!phone.cameraOff)}
        >
          {STRINGS.cameraOff}
        </button>
        <label class="check" for={autoId}>
          <input
            id={autoId}
            type="checkbox"
            checked={phone.autoAnswer}
            onChange={(e) => controller.setAutoAnswer(e.currentTarget.checked)}
          />
          {STRINGS.autoAnswer}
        </label>
      </div>
      {inCall && phone.call?.status === 'active' && (
        <Region title={STRINGS.dtmfHeading} level={3} class="sub">
          <Keypad label={STRINGS.dtmfHeading} onKey={(k) => controller.phone.sendDtmf(k)} />
        </Region>
      )}
      <details class="devices">
        <summary>{STRINGS.devicesHeading}</summary>
        <DeviceSelect
          label={STRINGS.microphone}
          devices={of('audioinput')}
          onChange={(id) => void controller.phone.switchDevice('audioinput', id)}
        />
        <DeviceSelect
          label={STRINGS.camera}
          devices={of('videoinput')}
          onChange={(id) => void controller.phone.switchDevice('videoinput', id)}
        />
        <DeviceSelect
          label={STRINGS.speaker}
          devices={of('audiooutput')}
          onChange={(id) => {
            for (const v of document.querySelectorAll('video')) {
              const sink = v as HTMLVideoElement & { setSinkId?: (id: string) => Promise<void> };
              void sink.setSinkId?.(id).catch(() => undefined);
            }
          }}
        />
      </details>
    </Region>
  );
}
