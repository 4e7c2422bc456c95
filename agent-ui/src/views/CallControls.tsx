import { useState } from 'preact/hooks';
import type { DesktopController, View } from '../app/desktop-controller';
import type { TransferTo } from '../domain/interface-a';
import { keysOf } from '../domain/shortcuts';
import { STRINGS } from '../strings';
import { Region, useId } from './common';

type Kind = TransferTo['kind'];

function phaseLabel(phase: string): string {
  const key = `phase_${phase}` as keyof typeof STRINGS;
  const s = STRINGS[key];
  return typeof s === 'string' ? s : phase;
}

/** Where to send the call: a queue, an agent or a number (interface A's TransferTo). */
function TransferForm(props: { controller: DesktopController; view: View }) {
  const { controller, view } = props;
  const queues = view.settings?.queues ?? [];
  const agents = view.settings?.agents ?? [];
  const [kind, setKind] = useState<Kind>(queues.length > 0 ? 'queue' : 'number');
  const [target, setTarget] = useState('');
  const [number, setNumber] = useState('');
  const kindId = useId('tkind');
  const targetId = useId('ttarget');
  const options = kind === 'queue' ? queues : agents;
  const chosen =
    target !== '' && options.some((o) => o.value === target) ? target : (options[0]?.value ?? '');
  const to = (): TransferTo | undefined => {
    if (kind === 'number')
      return /^\+?[0-9*#]{1,32}$/.test(number.trim()) ? { kind, number: number.trim() } : undefined;
    if (chosen === '') return undefined;
    return kind === 'queue' ? { kind, queueId: chosen } : { kind, agent: chosen };
  };
  const valid = to() !== undefined;
  return (
    <div class="transfer">
      <div class="field">
        <label for={kindId}>{STRINGS.transferKind}</label>
        <select id={kindId} value={kind} onChange={(e) => setKind(e.currentTarget.value as Kind)}>
          <option value="queue">{STRINGS.toQueue}</option>
          <option value="agent">{STRINGS.toAgent}</option>
          <option value="number">{STRINGS.toNumber}</option>
        </select>
      </div>
      <div class="field">
        {kind === 'number' ? (
          <>
            <label for={targetId}>{STRINGS.transferNumber}</label>
            <input
              id={targetId}
              type="tel"
              inputMode="tel"
              value={number}
              onInput={(e) => setNumber(e.currentTarget.value)}
            />
          </>
        ) : (
          <>
            <label for={targetId}>{STRINGS.transferTarget}</label>
            <select id={targetId} value={chosen} onChange={(e) => setTarget(e.currentTarget.value)}>
              {options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.hint === undefined ? o.label : `${o.label} (${o.hint})`}
                </option>
              ))}
            </select>
          </>
        )}
      </div>
      <div class="row">
        <button
          type="button"
          disabled={!valid}
          onClick={() => {
            const t = to();
            if (t) controller.transfer(t);
          }}
        >
          {STRINGS.blindTransfer}
        </button>
        <button
          type="button"
          disabled={!valid}
          onClick={() => {
            const t = to();
            if (t) controller.consult(t);
          }}
        >
          {STRINGS.consult}
        </button>
      </div>
    </div>
  );
}

/** Buttons for what interface A offers on the current contact; only those allowed in its phase. */
export function CallControls(props: { controller: DesktopController; view: View }) {
  const { controller, view } = props;
  const contact = view.desktop.contact;
  if (contact === undefined || contact.phase === 'offered') return null;
  const p = contact.phase;
  return (
    <Region title={STRINGS.callControlHeading} class="controls">
      <p class={`phase phase-${p}`}>
        {phaseLabel(p)}
        {contact.target !== undefined && ` ${STRINGS.withTarget(contact.target)}`}
      </p>
      <div class="row">
        <button
          type="button"
          class="danger"
          aria-keyshortcuts={keysOf('hangup')}
          onClick={() => controller.hangup()}
        >
          {STRINGS.hangUp}
        </button>
        {(p === 'talking' || p === 'held') && (
          <button type="button" aria-keyshortcuts={keysOf('hold')} onClick={() => controller.hold()}>
            {p === 'held' ? STRINGS.retrieve : STRINGS.hold}
          </button>
        )}
        {p === 'consulting' && (
          <>
            <button type="button" class="primary" onClick={() => controller.completeTransfer()}>
              {STRINGS.complete}
            </button>
            <button type="button" onClick={() => controller.cancelConsult()}>
              {STRINGS.cancelConsult}
            </button>
            <button type="button" onClick={() => controller.conference()}>
              {STRINGS.conference}
            </button>
          </>
        )}
      </div>
      {(p === 'talking' || p === 'held') && (
        <Region title={STRINGS.transferHeading} level={3} class="sub">
          <TransferForm controller={controller} view={view} />
        </Region>
      )}
    </Region>
  );
}
