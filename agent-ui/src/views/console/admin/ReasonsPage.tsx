import { useState } from 'preact/hooks';
import type { AdminApi, Labelled, LabelledKind } from '../../../adapters/admin-api';
import { STRINGS } from '../../../strings';
import { AdminForm, SaveBar, useSubmit } from './admin-form';
import {
  AdminTable,
  EditDeleteCell,
  ListPage,
  deleteConfirmed,
  loadFailed,
  useAdminList,
} from './admin-list';
import { NO_ERRORS, formErrors } from './form-errors';
import { Field } from './forms';

const TITLES: Record<LabelledKind, { title: string; caption: (n: number) => string; add: string }> = {
  reasons: { title: STRINGS.adminReasons, caption: STRINGS.adminReasonsCaption, add: STRINGS.adminAddReason },
  dispositions: {
    title: STRINGS.adminDispositions,
    caption: STRINGS.adminDispositionsCaption,
    add: STRINGS.adminAddDisposition,
  },
};

const COLUMNS = [STRINGS.adminCodeName, STRINGS.adminCodeLabel, STRINGS.adminActions];

/**
 * Not-ready reasons or disposition codes: a name the systems use and a label people read. Reasons reach
 * CTI and the agents' desktops live (the AS's change events); disposition codes only the AS reads.
 */
export function ReasonsPage(props: { api: AdminApi; kind: LabelledKind }) {
  const { api, kind } = props;
  const page = useAdminList<Labelled>(() => api.labelled(kind), [kind]);
  const [editing, setEditing] = useState<Labelled | undefined>();
  const [name, setName] = useState('');
  const [label, setLabel] = useState('');
  const { errors, setErrors, busy, submit } = useSubmit<Labelled>((err) =>
    formErrors(err, ['name', 'label'], STRINGS.adminSaveFailed),
  );
  const titles = TITLES[kind];
  const { list } = page;

  const reset = () => {
    setEditing(undefined);
    setName('');
    setLabel('');
    setErrors(NO_ERRORS);
  };

  const save = () =>
    submit(
      () => {
        const input = { name: name.trim(), label: label.trim() };
        return editing ? api.updateLabelled(kind, editing.id, input) : api.createLabelled(kind, input);
      },
      (saved) => {
        page.setNotice(editing ? STRINGS.adminUpdated(saved.name) : STRINGS.adminAdded(saved.name));
        reset();
        page.items.reload();
      },
    );

  const remove = (item: Labelled) =>
    void deleteConfirmed(
      item.name,
      () => api.deleteLabelled(kind, item.id),
      (notice) => {
        page.setNotice(notice);
        if (editing?.id === item.id) reset();
        page.items.reload();
      },
      (message) => setErrors({ fields: new Map(), form: message }),
    );

  return (
    <ListPage title={titles.title} notice={page.notice} alerts={[loadFailed(page.items.error)]}>
      <AdminForm
        class="admin-form admin-inline"
        label={editing ? STRINGS.adminEditNamed(editing.name) : titles.add}
        errors={errors}
        onSubmit={save}
      >
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
        <SaveBar
          label={editing ? STRINGS.adminSave : titles.add}
          busy={busy}
          onCancel={editing ? reset : undefined}
        />
      </AdminForm>
      <AdminTable caption={titles.caption(list.length)} columns={COLUMNS}>
        {list.map((item) => (
          <tr key={item.id}>
            <th scope="row">{item.name}</th>
            <td>{item.label}</td>
            <EditDeleteCell
              name={item.name}
              onEdit={() => {
                setEditing(item);
                setName(item.name);
                setLabel(item.label);
                setErrors(NO_ERRORS);
                page.setNotice(undefined);
              }}
              onDelete={() => remove(item)}
            />
          </tr>
        ))}
      </AdminTable>
    </ListPage>
  );
}
