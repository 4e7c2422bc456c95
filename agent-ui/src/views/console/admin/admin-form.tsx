import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { STRINGS } from '../../../strings';
import { Region } from '../../common';
import { type FormErrors, NO_ERRORS } from './form-errors';
import { FormAlert } from './forms';

/** What the administration's forms share: sending with a busy flag, the AS's refusal split per field, the buttons. */

export interface Submit<T> {
  errors: FormErrors;
  setErrors: (errors: FormErrors) => void;
  busy: boolean;
  /** Runs `send` (building the input inside it, so a local refusal lands in `errors` too); `done` on success. */
  submit: (send: () => Promise<T>, done: (result: T) => void) => Promise<void>;
}

export function useSubmit<T>(toErrors: (err: unknown) => FormErrors): Submit<T> {
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const submit = async (send: () => Promise<T>, done: (result: T) => void) => {
    setBusy(true);
    try {
      const result = await send();
      setErrors(NO_ERRORS);
      done(result);
    } catch (err) {
      setErrors(toErrors(err));
    } finally {
      setBusy(false);
    }
  };
  return { errors, setErrors, busy, submit };
}

/** A form the page checks and sends itself (the AS judges the values), its form-level error first. */
export function AdminForm(props: {
  class: string;
  label?: string;
  errors: FormErrors;
  onSubmit: () => unknown;
  children: ComponentChildren;
}) {
  return (
    <form
      class={props.class}
      noValidate
      aria-label={props.label}
      onSubmit={(e) => {
        e.preventDefault();
        void props.onSubmit();
      }}
    >
      <FormAlert errors={props.errors} />
      {props.children}
    </form>
  );
}

/** The submit button (disabled while sending) and, where the form can be left, Cancel. */
export function SaveBar(props: { label: string; busy: boolean; onCancel?: (() => void) | undefined }) {
  return (
    <div class="row">
      <button type="submit" class="primary" disabled={props.busy}>
        {props.label}
      </button>
      {props.onCancel && (
        <button type="button" onClick={props.onCancel}>
          {STRINGS.adminCancel}
        </button>
      )}
    </div>
  );
}

export interface Editor {
  creating: boolean;
  busy: boolean;
  errors: FormErrors;
  save: () => Promise<void>;
  cancel: () => void;
}

/** An editor's sending: `send` builds the input and calls the AS; the owner hears of the saved item or Cancel. */
export function useEditor<T>(
  owner: { onSaved: (saved: T) => void; onCancel: () => void },
  creating: boolean,
  toErrors: (err: unknown) => FormErrors,
  send: () => Promise<T>,
): Editor {
  const { errors, busy, submit } = useSubmit<T>(toErrors);
  return { creating, busy, errors, save: () => submit(send, owner.onSaved), cancel: owner.onCancel };
}

/** An editor below a list: its own heading, the fields, then Create (new) or Save, and Cancel. */
export function EditorForm(props: { title: string; editor: Editor; children: ComponentChildren }) {
  const { editor } = props;
  return (
    <Region title={props.title} level={3}>
      <AdminForm class="admin-form" errors={editor.errors} onSubmit={editor.save}>
        {props.children}
        <SaveBar
          label={editor.creating ? STRINGS.adminCreate : STRINGS.adminSave}
          busy={editor.busy}
          onCancel={editor.cancel}
        />
      </AdminForm>
    </Region>
  );
}
