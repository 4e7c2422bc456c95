import { useState } from 'preact/hooks';
import type { AdminApi, Labelled, LabelledKind } from '../../../adapters/admin-api';
import { STRINGS } from '../../../strings';
import { Region } from '../../common';
import { type FormErrors, NO_ERRORS, formErrors } from './form-errors';
import { Field, FormAlert, Notice, useLoad } from './forms';

const TITLES: Record<LabelledKind, { title: string; caption: (n: number) => string; add: string }> = {
  reasons: { title: STRINGS.adminReasons, caption: STRINGS.adminReasonsCaption, add: STRINGS.adminAddReason },
  dispositions: {
    title: STRINGS.adminDispositions,
    caption: STRINGS.adminDispositionsCaption,
    add: STRINGS.adminAddDisposition,
  },
};

/**
 * Not-ready reasons or disposition codes: a name the systems use and a label people read. Reasons reach
 * CTI and the agents' desktops live (the AS's change events); disposition codes only the AS reads.
 */
export function ReasonsPage(props: { api: AdminApi; kind: LabelledKind }) {
  const { api, kind } = props;
  const items = useLoad(() => api.labelled(kind), [kind]);
  const [editing, setEditing] = useState<Labelled | undefined>();
  const [name, setName] = useState('');
  const [label, setLabel] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [notice, setNotice] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const titles = TITLES[kind];
  const list = items.data ?? [];

  const reset = () => {
    setEditing(undefined);
    setName('');
    setLabel('');
    setErrors(NO_ERRORS);
  };

  const save = async () => {
    setBusy(true);
    try {
      const input = { name: name.trim(), label: label.trim() };
      const saved = editing
        ? await api.updateLabelled(kind, editing.id, input)
        : await api.createLabelled(kind, input);
      setNotice(editing ? STRINGS.adminUpdated(saved.name) : STRINGS.adminAdded(saved.name));
      reset();
      items.reload();
    } catch (err) {
      setErrors(formErrors(err, ['name', 'label'], STRINGS.adminSaveFailed));
    } finally {
      setBusy(false);
    }
  };

  const remove = async (item: Labelled) => {
    if (!confirm(STRINGS.adminConfirmDelete(item.name))) return;
    try {
      await api.deleteLabelled(kind, item.id);
      setNotice(STRINGS.adminDeleted(item.name));
      if (editing?.id === item.id) reset();
      items.reload();
    } catch (err) {
      setErrors({ fields: new Map(), form: err instanceof Error ? err.message : String(err) });
    }
  };

  return (
    <Region title={titles.title}>
      <Notice text={notice} />
      {items.error !== undefined && (
        <p class="error" role="alert">
          {STRINGS.adminLoadFailed(items.error)}
        </p>
      )}
      <form
        class="admin-form admin-inline"
        noValidate
        aria-label={editing ? STRINGS.adminEditNamed(editing.name) : titles.add}
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <FormAlert errors={errors} />
        <div class="admin-fields">
          <Field label={STRINGS.adminCodeName} path="name" errors={errors} value={name} onInput={setName} />
          <Field
            label={STRINGS.adminCodeLabel}
            path="label"
            errors={errors}
            value={label}
            onInput={setLabel}
          />
        </div>
        <div class="row">
          <button type="submit" class="primary" disabled={busy}>
            {editing ? STRINGS.adminSave : titles.add}
          </button>
          {editing && (
            <button type="button" onClick={reset}>
              {STRINGS.adminCancel}
            </button>
          )}
        </div>
      </form>
      <table class="admin-table">
        <caption>{titles.caption(list.length)}</caption>
        <thead>
          <tr>
            <th scope="col">{STRINGS.adminCodeName}</th>
            <th scope="col">{STRINGS.adminCodeLabel}</th>
            <th scope="col">{STRINGS.adminActions}</th>
          </tr>
        </thead>
        <tbody>
          {list.map((item) => (
            <tr key={item.id}>
              <th scope="row">{item.name}</th>
              <td>{item.label}</td>
              <td class="admin-actions">
                <button
                  type="button"
                  aria-label={STRINGS.adminEditNamed(item.name)}
                  onClick={() => {
                    setEditing(item);
                    setName(item.name);
                    setLabel(item.label);
                    setErrors(NO_ERRORS);
                    setNotice(undefined);
                  }}
                >
                  {STRINGS.adminEdit}
                </button>
                <button
                  type="button"
                  class="danger"
                  aria-label={STRINGS.adminDeleteNamed(item.name)}
                  onClick={() => void remove(item)}
                >
                  {STRINGS.adminDelete}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Region>
  );
}
