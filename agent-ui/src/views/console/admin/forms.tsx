import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { STRINGS } from '../../../strings';
import { useId } from '../../common';
import { type FormErrors, errorText } from './form-errors';

/** Shared pieces of the administration forms: a labelled field with its error, loading a list, a notice. */

export function FieldError(props: { id: string; message: string | undefined }) {
  if (props.message === undefined) return null;
  return (
    <p id={props.id} class="error field-error" role="alert">
      {props.message}
    </p>
  );
}

interface FieldProps {
  label: string;
  path: string;
  errors: FormErrors;
  value: string;
  onInput: (value: string) => void;
  type?: 'text' | 'number' | 'password' | 'date';
  required?: boolean;
  disabled?: boolean;
  autocomplete?: string;
}

/** A text or number input with its label, and the AS's message for its path right below it. */
export function Field(props: FieldProps) {
  const id = useId(`f-${props.path}`);
  const error = props.errors.fields.get(props.path);
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <input
        id={id}
        name={props.path}
        // Preact types each input type separately (agent-ui/tsconfig.json sees that); one component serves four.
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
        type={(props.type ?? 'text') as 'text'}
        value={props.value}
        required={props.required}
        disabled={props.disabled}
        autocomplete={props.autocomplete ?? 'off'}
        aria-invalid={error !== undefined}
        aria-describedby={error !== undefined ? `${id}-error` : undefined}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

export function SelectField(props: {
  label: string;
  path: string;
  errors: FormErrors;
  value: string;
  options: readonly { value: string; label: string }[];
  onChange: (value: string) => void;
}) {
  const id = useId(`f-${props.path}`);
  const error = props.errors.fields.get(props.path);
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <select
        id={id}
        name={props.path}
        value={props.value}
        aria-invalid={error !== undefined}
        onChange={(e) => props.onChange(e.currentTarget.value)}
      >
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

export function CheckField(props: { label: string; checked: boolean; onChange: (checked: boolean) => void }) {
  return (
    <label class="check">
      <input
        type="checkbox"
        checked={props.checked}
        onChange={(e) => props.onChange(e.currentTarget.checked)}
      />
      {props.label}
    </label>
  );
}

/** A group of fields under a legend. */
export function Group(props: { legend: string; children: ComponentChildren }) {
  return (
    <fieldset class="admin-group">
      <legend>{props.legend}</legend>
      {props.children}
    </fieldset>
  );
}

/** The form-level message (what names no field) as an alert. */
export function FormAlert(props: { errors: FormErrors }) {
  return <ErrorAlert text={props.errors.form} />;
}

/** An error for a group of inputs (roles, skills, holidays) rather than one input. */
export function GroupError(props: { errors: FormErrors; path: string }) {
  const message = props.errors.fields.get(props.path);
  if (message === undefined) return null;
  return (
    <p class="error field-error" role="alert">
      {message}
    </p>
  );
}

/** An error that concerns the whole page (a list that did not load, a row action refused). */
export function ErrorAlert(props: { text: string | undefined }) {
  if (props.text === undefined) return null;
  return (
    <p class="error" role="alert">
      {props.text}
    </p>
  );
}

/** A select's options: "(none)" first, then each name as it is. */
export function namesWithNone(names: readonly string[]): { value: string; label: string }[] {
  return [{ value: '', label: STRINGS.adminNone }, ...names.map((n) => ({ value: n, label: n }))];
}

/** A polite notice after a save ("Saved"). */
export function Notice(props: { text: string | undefined }) {
  return (
    <p class="admin-notice" role="status">
      {props.text ?? ''}
    </p>
  );
}

export interface Loaded<T> {
  data: T | undefined;
  error: string | undefined;
  reload: () => void;
}

/** Loads `fetcher()` now and on `reload()`; a stale answer (after a newer reload) is dropped. */
export function useLoad<T>(fetcher: () => Promise<T>, deps: readonly unknown[] = []): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    fetcher().then(
      (d) => {
        if (!live) return;
        setData(d);
        setError(undefined);
      },
      (err: unknown) => live && setError(errorText(err)),
    );
    return () => {
      live = false;
    };
    // The caller names what the fetch depends on (`deps`); `round` is bumped by reload().
  }, [round, ...deps]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { data, error, reload };
}
