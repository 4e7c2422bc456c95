import type { Option } from '../domain/settings';
import { STRINGS } from '../strings';
import { useId } from './common';

/**
 * The disposition and notes of a finished contact, the same for a call's after-call form and a task's
 * Complete step; the form around them owns the values and what saving means.
 */
export function WrapUpFields(props: {
  codes: readonly Option[];
  disposition: string;
  notes: string;
  onDisposition: (value: string) => void;
  onNotes: (value: string) => void;
  /** Side by side with a shorter notes box, for the task's form inside the conversation. */
  compact?: boolean;
}) {
  const dispId = useId('disp');
  const notesId = useId('notes');
  const fields = (
    <>
      <div class="field">
        <label for={dispId}>{STRINGS.disposition}</label>
        <select
          id={dispId}
          value={props.disposition}
          onChange={(e) => props.onDisposition(e.currentTarget.value)}
        >
          <option value="">{STRINGS.chooseDisposition}</option>
          {props.codes.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for={notesId}>{STRINGS.notes}</label>
        <textarea
          id={notesId}
          rows={props.compact === true ? 2 : 3}
          value={props.notes}
          onInput={(e) => props.onNotes(e.currentTarget.value)}
        />
      </div>
    </>
  );
  return props.compact === true ? <div class="grid2">{fields}</div> : fields;
}
