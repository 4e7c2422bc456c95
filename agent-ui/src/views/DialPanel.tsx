import { useState } from 'preact/hooks';
import type { DesktopController, View } from '../app/desktop-controller';
import { STRINGS } from '../strings';
import { Keypad, Region, useId } from './common';

/** Outbound: a number typed or keyed in, called through CTI's `dial` with a queue's caller id. */
export function DialPanel(props: { controller: DesktopController; view: View }) {
  const { controller, view } = props;
  const [number, setNumber] = useState('');
  const [queue, setQueue] = useState('');
  const numberId = useId('dialnum');
  const queueId = useId('dialq');
  const queues = view.settings?.queues ?? [];
  const valid = /^\+?[0-9*#]{1,32}$/.test(number.trim());
  return (
    <Region title={STRINGS.dialHeading} class="dial">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (valid) controller.dial(number.trim(), queue || undefined);
        }}
      >
        <div class="field">
          <label for={numberId}>{STRINGS.dialNumber}</label>
          <input
            id={numberId}
            type="tel"
            inputMode="tel"
            autocomplete="off"
            value={number}
            onInput={(e) => setNumber(e.currentTarget.value)}
          />
        </div>
        <Keypad label={STRINGS.dialHeading} onKey={(k) => setNumber(number + k)} />
        {queues.length > 0 && (
          <div class="field">
            <label for={queueId}>{STRINGS.dialQueue}</label>
            <select id={queueId} value={queue} onChange={(e) => setQueue(e.currentTarget.value)}>
              <option value="">{STRINGS.anyQueue}</option>
              {queues.map((q) => (
                <option key={q.value} value={q.value}>
                  {q.label}
                </option>
              ))}
            </select>
          </div>
        )}
        <div class="row">
          <button type="submit" class="primary" disabled={!valid}>
            {STRINGS.dial}
          </button>
          <button type="button" onClick={() => setNumber('')}>
            {STRINGS.clear}
          </button>
        </div>
      </form>
    </Region>
  );
}
