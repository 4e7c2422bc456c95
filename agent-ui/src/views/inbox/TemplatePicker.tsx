import type { ReplyTemplate } from '../../adapters/messages-api';
import { STRINGS } from '../../strings';
import { useId } from '../common';

/** The channel's reply templates; choosing one puts its text into the reply. */
export function TemplatePicker(props: {
  templates: readonly ReplyTemplate[] | undefined;
  onPick: (t: ReplyTemplate) => void;
}) {
  const id = useId('template');
  const list = props.templates ?? [];
  return (
    <div class="field template-picker">
      <label for={id}>{STRINGS.replyTemplate}</label>
      <select
        id={id}
        value=""
        disabled={list.length === 0}
        onChange={(e) => {
          const chosen = list.find((t) => t.id === e.currentTarget.value);
          e.currentTarget.value = '';
          if (chosen !== undefined) props.onPick(chosen);
        }}
      >
        <option value="">{list.length === 0 ? STRINGS.noTemplates : STRINGS.chooseTemplate}</option>
        {list.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name}
          </option>
        ))}
      </select>
    </div>
  );
}
