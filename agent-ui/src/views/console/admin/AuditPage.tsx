import { useState } from 'preact/hooks';
import { type AdminApi, AUDIT_ACTIONS } from '../../../adapters/admin-api';
import { STRINGS } from '../../../strings';
import { Region } from '../../common';
import { type AuditFilter, auditQueryOf, changedFields } from './audit-view';
import { NO_ERRORS } from './form-errors';
import { SaveBar } from './admin-form';
import { AdminTable, loadFailed } from './admin-list';
import { ErrorAlert, Field, SelectField, useLoad } from './forms';

const PAGE_SIZE = 25;
const ACTION_NAMES = {
  create: STRINGS.adminActionCreate,
  update: STRINGS.adminActionUpdate,
  delete: STRINGS.adminActionDelete,
};
const COLUMNS = [
  STRINGS.adminWhen,
  STRINGS.adminActor,
  STRINGS.adminAction,
  STRINGS.adminEntity,
  STRINGS.adminEntityId,
  STRINGS.adminChanged,
];
const EMPTY: AuditFilter = { actor: '', action: '', from: '', to: '' };

/** The audit log, newest first: filtered by who, what and when, one page at a time. */
export function AuditPage(props: { api: AdminApi }) {
  const { api } = props;
  const [draft, setDraft] = useState<AuditFilter>(EMPTY);
  const [filter, setFilter] = useState<AuditFilter>(EMPTY);
  const [page, setPage] = useState(0);
  const agents = useLoad(() => api.agents());
  const rows = useLoad(() => api.audit(auditQueryOf(filter, page, PAGE_SIZE)), [filter, page]);
  const logins = new Map((agents.data ?? []).map((a) => [a.id, a.login]));
  const list = rows.data ?? [];
  const any = [{ value: '', label: STRINGS.adminAny }];

  return (
    <Region title={STRINGS.adminAudit}>
      <form
        class="admin-form admin-inline"
        aria-label={STRINGS.adminAuditFilter}
        onSubmit={(e) => {
          e.preventDefault();
          setPage(0);
          setFilter(draft);
        }}
      >
        <div class="admin-fields">
          <SelectField
            label={STRINGS.adminActor}
            path="actor"
            errors={NO_ERRORS}
            value={draft.actor}
            options={[...any, ...(agents.data ?? []).map((a) => ({ value: a.id, label: a.login }))]}
            onChange={(actor) => setDraft({ ...draft, actor })}
          />
          <SelectField
            label={STRINGS.adminAction}
            path="action"
            errors={NO_ERRORS}
            value={draft.action}
            options={[...any, ...AUDIT_ACTIONS.map((a) => ({ value: a, label: ACTION_NAMES[a] }))]}
            onChange={(action) => setDraft({ ...draft, action })}
          />
          <Field
            label={STRINGS.adminFrom}
            path="from"
            type="date"
            errors={NO_ERRORS}
            value={draft.from}
            onInput={(from) => setDraft({ ...draft, from })}
          />
          <Field
            label={STRINGS.adminTo}
            path="to"
            type="date"
            errors={NO_ERRORS}
            value={draft.to}
            onInput={(to) => setDraft({ ...draft, to })}
          />
        </div>
        <SaveBar label={STRINGS.adminApplyFilter} busy={false} />
      </form>
      <ErrorAlert text={loadFailed(rows.error)} />
      <AdminTable caption={STRINGS.adminAuditCaption(page + 1)} columns={COLUMNS}>
        {list.map((r) => (
          <tr key={r.id}>
            <td>{new Date(r.at).toLocaleString()}</td>
            <td>{logins.get(r.actor) ?? r.actor}</td>
            <td>{ACTION_NAMES[r.action]}</td>
            <td>{r.entity}</td>
            <td class="mono">{r.entityId}</td>
            <td>{changedFields(r.before, r.after).join(', ')}</td>
          </tr>
        ))}
      </AdminTable>
      {list.length === 0 && rows.data !== undefined && <p class="muted">{STRINGS.adminAuditEmpty}</p>}
      <div class="row">
        <button type="button" disabled={page === 0} onClick={() => setPage(page - 1)}>
          {STRINGS.adminPrevious}
        </button>
        <button type="button" disabled={list.length < PAGE_SIZE} onClick={() => setPage(page + 1)}>
          {STRINGS.adminNext}
        </button>
      </div>
    </Region>
  );
}
