import { ApiError } from '../../../adapters/as-api';

/**
 * An AS refusal split for a form: each `{path, message}` of a 400 goes beside the field of that path
 * (`ringTimeoutSec`, `maxTasks.voice`, `skills.0.level`); what names no field shown goes above the form.
 */
export interface FormErrors {
  fields: Map<string, string>;
  form?: string;
}

export const NO_ERRORS: FormErrors = { fields: new Map() };

export function formErrors(err: unknown, fieldPaths: readonly string[], fallback: string): FormErrors {
  if (!(err instanceof ApiError)) return { fields: new Map(), form: fallback };
  const fields = new Map<string, string>();
  const unplaced: string[] = [];
  for (const d of err.details ?? []) {
    const path = fieldPaths.includes(d.path) ? d.path : fieldPaths.find((p) => d.path.startsWith(`${p}.`));
    if (path === undefined) unplaced.push(d.message);
    else fields.set(path, fields.has(path) ? `${fields.get(path)}; ${d.message}` : d.message);
  }
  if (err.details === undefined || err.details.length === 0) {
    return { fields, form: err.message === '' ? fallback : err.message };
  }
  return unplaced.length > 0 ? { fields, form: unplaced.join('; ') } : { fields };
}

/** What a failed call says, for an alert. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A number field's text as the API takes it: empty is "not given"; other text goes as typed, so the AS judges it. */
export function numberOrText(value: string): number | string | undefined {
  const t = value.trim();
  if (t === '') return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : t;
}

/** Text fields: empty is "not given" (the AS refuses empty strings). */
export function textOrNothing(value: string): string | undefined {
  const t = value.trim();
  return t === '' ? undefined : t;
}

/** The object without its undefined entries (JSON would drop them anyway; tests compare exactly). */
export function compact<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
