import { useMemo, useState } from 'preact/hooks';
import type { AdminApi } from '../../../adapters/admin-api';
import type { AsApi } from '../../../adapters/as-api';
import { HoursApi, type Schedule } from '../../../adapters/hours-api';
import { STRINGS } from '../../../strings';
import { Region } from '../../common';
import { HoursEditor, KIND_NAMES } from './HoursEditor';
import { Notice, useLoad } from './forms';

type Editing = { mode: 'none' } | { mode: 'new' } | { mode: 'edit'; schedule: Schedule };

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
  const schedules = useLoad(() => hours.list(), [hours]);
  const queues = useLoad(() => props.api.queues());
  const prompts = useLoad(() => props.api.prompts());
  const [editing, setEditing] = useState<Editing>({ mode: 'none' });
  const [notice, setNotice] = useState<string | undefined>();
  const [rowError, setRowError] = useState<string | undefined>();
  const list = schedules.data ?? [];

  const remove = async (s: Schedule) => {
    if (!confirm(STRINGS.adminConfirmDelete(s.name))) return;
    try {
      await hours.remove(s.name);
      setRowError(undefined);
      setNotice(STRINGS.adminDeleted(s.name));
      schedules.reload();
    } catch (err) {
      setRowError(err instanceof Error ? err.message : String(err));
    }
  };

  return (
    <Region title={STRINGS.adminHours}>
      <Notice text={notice} />
      {(schedules.error ?? rowError) !== undefined && (
        <p class="error" role="alert">
          {rowError ?? STRINGS.adminLoadFailed(schedules.error ?? '')}
        </p>
      )}
      <div class="row">
        <button type="button" class="primary" onClick={() => setEditing({ mode: 'new' })}>
          {STRINGS.hoursNew}
        </button>
      </div>
      {editing.mode !== 'none' && (
        <HoursEditor
          key={editing.mode === 'edit' ? editing.schedule.id : 'new'}
          api={hours}
          schedule={editing.mode === 'edit' ? editing.schedule : undefined}
          queues={(queues.data ?? []).map((q) => q.name)}
          prompts={(prompts.data ?? []).map((p) => p.name)}
          onCancel={() => setEditing({ mode: 'none' })}
          onSaved={(saved) => {
            setNotice(STRINGS.hoursSaved(saved.name));
            setEditing({ mode: 'none' });
            schedules.reload();
          }}
        />
      )}
      <table class="admin-table">
        <caption>{STRINGS.hoursCaption(list.length)}</caption>
        <thead>
          <tr>
            <th scope="col">{STRINGS.hoursName}</th>
            <th scope="col">{STRINGS.hoursZoneColumn}</th>
            <th scope="col">{STRINGS.hoursStatus}</th>
            <th scope="col">{STRINGS.hoursClosedKind}</th>
            <th scope="col">{STRINGS.hoursAssign}</th>
            <th scope="col">{STRINGS.adminActions}</th>
          </tr>
        </thead>
        <tbody>
          {list.map((s) => (
            <tr key={s.id}>
              <th scope="row">{s.name}</th>
              <td>{s.timeZone}</td>
              <td>{statusText(s)}</td>
              <td>{KIND_NAMES[s.closedAction.kind]}</td>
              <td>{[...s.queues, ...s.numbers].join(', ')}</td>
              <td class="admin-actions">
                <button
                  type="button"
                  aria-label={STRINGS.adminEditNamed(s.name)}
                  onClick={() => {
                    setNotice(undefined);
                    setEditing({ mode: 'edit', schedule: s });
                  }}
                >
                  {STRINGS.adminEdit}
                </button>
                <button
                  type="button"
                  class="danger"
                  aria-label={STRINGS.adminDeleteNamed(s.name)}
                  onClick={() => void remove(s)}
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
