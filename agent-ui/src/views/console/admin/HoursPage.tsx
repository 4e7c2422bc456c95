import { useMemo } from 'preact/hooks';
import type { AdminApi } from '../../../adapters/admin-api';
import type { AsApi } from '../../../adapters/as-api';
import { HoursApi, type Schedule } from '../../../adapters/hours-api';
import { STRINGS } from '../../../strings';
import { AdminTable, EditDeleteCell, ListPage, NewButton, loadFailed, useAdminList } from './admin-list';
import { HoursEditor, KIND_NAMES } from './HoursEditor';
import { useLoad } from './forms';

const COLUMNS = [
  STRINGS.hoursName,
  STRINGS.hoursZoneColumn,
  STRINGS.hoursStatus,
  STRINGS.hoursClosedKind,
  STRINGS.hoursAssign,
  STRINGS.adminActions,
];

function statusText(s: Schedule): string {
  const base = s.status.open
    ? STRINGS.hoursOpenNow(s.status.localTime)
    : STRINGS.hoursClosedNow(s.status.localTime);
  return s.status.holiday === undefined ? base : `${base}, ${STRINGS.hoursOnHoliday(s.status.holiday)}`;
}

/**
 * Business hours and holidays per queue or called number (docs/business-hours.md): the schedules with
 * whether each is open now, a form for one, deletion (the AS refuses one a flow uses).
 */
export function HoursPage(props: { api: AdminApi; client: AsApi }) {
  const hours = useMemo(() => new HoursApi(props.client), [props.client]);
  const page = useAdminList(() => hours.list(), [hours]);
  const queues = useLoad(() => props.api.queues());
  const prompts = useLoad(() => props.api.prompts());
  const { list, editor } = page;

  return (
    <ListPage
      title={STRINGS.adminHours}
      notice={page.notice}
      alerts={[page.rowError ?? loadFailed(page.items.error)]}
    >
      <NewButton label={STRINGS.hoursNew} onClick={page.openNew} />
      {editor && (
        <HoursEditor
          key={editor.key}
          api={hours}
          schedule={editor.item}
          queues={(queues.data ?? []).map((q) => q.name)}
          prompts={(prompts.data ?? []).map((p) => p.name)}
          onCancel={page.close}
          onSaved={(saved) => page.saved(STRINGS.hoursSaved(saved.name))}
        />
      )}
      <AdminTable caption={STRINGS.hoursCaption(list.length)} columns={COLUMNS}>
        {list.map((s) => (
          <tr key={s.id}>
            <th scope="row">{s.name}</th>
            <td>{s.timeZone}</td>
            <td>{statusText(s)}</td>
            <td>{KIND_NAMES[s.closedAction.kind]}</td>
            <td>{[...s.queues, ...s.numbers].join(', ')}</td>
            <EditDeleteCell
              name={s.name}
              onEdit={() => page.openEdit(s)}
              onDelete={() => page.remove(s.name, () => hours.remove(s.name))}
            />
          </tr>
        ))}
      </AdminTable>
    </ListPage>
  );
}
