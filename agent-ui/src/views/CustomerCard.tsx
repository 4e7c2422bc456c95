import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { DesktopController } from '../app/desktop-controller';
import type { CustomerView } from '../domain/screen-pop';
import { STRINGS } from '../strings';
import { useId } from './common';

function Field(props: {
  label: string;
  value: string;
  onInput: (v: string) => void;
  type?: 'text' | 'tel' | 'email';
  multiline?: boolean;
}) {
  const id = useId('field');
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      {props.multiline ? (
        <textarea
          id={id}
          rows={2}
          value={props.value}
          onInput={(e) => props.onInput(e.currentTarget.value)}
        />
      ) : (
        <input
          id={id}
          // Preact 11 types each input type apart; the union of three is not accepted as such.
          // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
          type={(props.type ?? 'text') as 'text'}
          value={props.value}
          onInput={(e) => props.onInput(e.currentTarget.value)}
        />
      )}
    </div>
  );
}

/** A known customer's form is folded away; an unknown caller's (to create one) is open. */
function Collapsible(props: { open: boolean; children: ComponentChildren }) {
  if (props.open) return <>{props.children}</>;
  return (
    <details class="edit-customer">
      <summary>{STRINGS.editCustomer}</summary>
      {props.children}
    </details>
  );
}

/** The customer record: shown, edited, or created and linked to the contact when unknown. */
export function CustomerCard(props: {
  controller: DesktopController;
  customer?: CustomerView;
  fallbackNumber?: string;
  canDial: boolean;
}) {
  const c = props.customer;
  const [first, last] = c === undefined ? ['', ''] : splitName(c.name);
  const [form, setForm] = useState({
    firstName: first,
    lastName: last,
    phone: c?.phones[0] ?? props.fallbackNumber ?? '',
    email: c?.emails[0] ?? '',
    notes: c?.notes ?? '',
  });
  const [status, setStatus] = useState<'idle' | 'saving' | 'saved' | 'failed'>('idle');
  const set = (k: keyof typeof form) => (v: string) => setForm({ ...form, [k]: v });
  const save = async () => {
    setStatus('saving');
    const input: Record<string, unknown> = {};
    if (form.firstName.trim()) input.firstName = form.firstName.trim();
    if (form.lastName.trim()) input.lastName = form.lastName.trim();
    if (form.phone.trim()) input.phones = [form.phone.trim(), ...(c?.phones.slice(1) ?? [])];
    if (form.email.trim()) input.emails = [form.email.trim(), ...(c?.emails.slice(1) ?? [])];
    if (c !== undefined || form.notes.trim()) input.notes = form.notes;
    try {
      await props.controller.saveCustomer(c?.id, input);
      setStatus('saved');
    } catch (err) {
      props.controller.log('customer not saved', String(err));
      setStatus('failed');
    }
  };
  return (
    <div class="customer">
      {c === undefined && <p class="muted">{STRINGS.noCustomer}</p>}
      {c !== undefined && (c.phones.length > 0 || c.emails.length > 0) && (
        <p class="contact-points">{[...c.phones, ...c.emails].join(' · ')}</p>
      )}
      {c?.notes !== undefined && <p class="muted">{c.notes}</p>}
      {c !== undefined && c.custom.length > 0 && (
        <dl class="facts">
          {c.custom.map((f) => (
            <div key={f.key}>
              <dt>{f.key}</dt>
              <dd>{f.value}</dd>
            </div>
          ))}
        </dl>
      )}
      {props.canDial &&
        (c?.phones ?? []).map((p) => (
          <button type="button" key={p} class="dial-link" onClick={() => props.controller.dial(p)}>
            {STRINGS.callCustomer(p)}
          </button>
        ))}
      <Collapsible open={c === undefined}>
        <form
          class="customer-form"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <div class="grid2">
            <Field label={STRINGS.firstName} value={form.firstName} onInput={set('firstName')} />
            <Field label={STRINGS.lastName} value={form.lastName} onInput={set('lastName')} />
            <Field label={STRINGS.phone} value={form.phone} onInput={set('phone')} type="tel" />
            <Field label={STRINGS.email} value={form.email} onInput={set('email')} type="email" />
          </div>
          <Field label={STRINGS.customerNotes} value={form.notes} onInput={set('notes')} multiline />
          <div class="row">
            <button type="submit" disabled={status === 'saving'}>
              {c === undefined ? STRINGS.createCustomer : STRINGS.saveCustomer}
            </button>
            <span role="status" class="muted">
              {status === 'saved' ? STRINGS.customerSaved : status === 'failed' ? STRINGS.saveFailed : ''}
            </span>
          </div>
        </form>
      </Collapsible>
    </div>
  );
}

function splitName(name: string): [string, string] {
  const i = name.indexOf(' ');
  return i < 0 ? [name, ''] : [name.slice(0, i), name.slice(i + 1)];
}
