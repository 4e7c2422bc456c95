import { useState } from 'preact/hooks';
import { STRINGS } from '../../../strings';

/**
 * "Discard draft" with a confirm step: the draft (saved or not) is dropped and the editor shows the
 * live version again. Only for a published flow: a flow never published has nothing else to show.
 */
export function DiscardDraft(props: { liveVersion: number; busy: boolean; onDiscard: () => void }) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" disabled={props.busy} onClick={() => setAsking(true)}>
        {STRINGS.flowDiscardDraft}
      </button>
    );
  }
  return (
    <div class="flow-confirm" role="group" aria-label={STRINGS.flowDiscardConfirmGroup}>
      <span>{STRINGS.flowDiscardConfirm(props.liveVersion)}</span>
      <button
        type="button"
        class="danger"
        onClick={() => {
          setAsking(false);
          props.onDiscard();
        }}
      >
        {STRINGS.flowDiscardYes}
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        {STRINGS.flowDiscardNo}
      </button>
    </div>
  );
}
