import { useState } from 'preact/hooks';
import type { AdminApi, Queue } from '../../../adapters/admin-api';
import { STRINGS } from '../../../strings';
import { Region } from '../../common';
import { Notice, useLoad } from './forms';
import { QueueEditor } from './QueueEditor';

type Editing = { mode: 'none' } | { mode: 'new' } | { mode: 'edit'; queue: Queue };

/** Queues: the list with their main settings, a form with every setting, deletion (the AS refuses one in use). */
export function QueuesPage(props: { api: AdminApi }) {
  const { api } = props;
  const queues = useLoad(() => api.queues());
  const prompts = useLoad(() => api.prompts());
  const [editing, setEditing] = useState<Editing>({ mode: 'none' });
  const [notice, setNotice] = useState<string | undefined>();
  const [rowError, setRowError] = useState<string | undefined>();
  const list = queues.data ?? [];

  const remove = async (q: Queue) => {
    if (!confirm(STRINGS.adminConfirmDelete(q.name))) return;
    try {
      await api.deleteQueue(q.name);
      setRowError(undefined);
      setNotice(STRINGS.adminDeleted(q.name));
      queues.reload();
    } catch (err) {
      setRowError(err instanceof Error ? err.message : String(err));
    }
  };

  return (
    <Region title={STRINGS.adminQueues}>
      <Notice text={notice} />
      {(queues.error ?? rowError) !== undefined && (
        <p class="error" role="alert">
          {rowError ?? STRINGS.adminLoadFailed(queues.error ?? '')}
        </p>
      )}
      <div class="row">
        <button type="button" class="primary" onClick={() => setEditing({ mode: 'new' })}>
          {STRINGS.adminNewQueue}
        </button>
      </div>
      {editing.mode !== 'none' && (
        <QueueEditor
          key={editing.mode === 'edit' ? editing.queue.id : 'new'}
          api={api}
          queue={editing.mode === 'edit' ? editing.queue : undefined}
          queues={list.map((q) => q.name)}
          prompts={(prompts.data ?? []).map((p) => p.name)}
          onCancel={() => setEditing({ mode: 'none' })}
          onSaved={(saved) => {
            setNotice(STRINGS.adminQueueSaved(saved.name));
            setEditing({ mode: 'none' });
            queues.reload();
          }}
        />
      )}
      <table class="admin-table">
        <caption>{STRINGS.adminQueuesCaption(list.length)}</caption>
        <thead>
          <tr>
            <th scope="col">{STRINGS.adminQueueName}</th>
            <th scope="col">{STRINGS.adminSelectionPolicy}</th>
            <th scope="col">{STRINGS.adminQueueSkills}</th>
            <th scope="col">{STRINGS.adminPriority}</th>
            <th scope="col">{STRINGS.adminRingTimeout}</th>
            <th scope="col">{STRINGS.adminWrapUp}</th>
            <th scope="col">{STRINGS.adminQueueTimeout}</th>
            <th scope="col">{STRINGS.adminServiceLevel}</th>
            <th scope="col">{STRINGS.adminActions}</th>
          </tr>
        </thead>
        <tbody>
          {list.map((q) => (
            <tr key={q.id}>
              <th scope="row">{q.name}</th>
              <td>{q.selectionPolicy}</td>
              <td>{q.skills.map((s) => STRINGS.adminSkillWithLevel(s.name, s.minLevel)).join(', ')}</td>
              <td>{q.priority}</td>
              <td>{q.ringTimeoutSec}</td>
              <td>{q.wrapUpSec}</td>
              <td>{q.queueTimeoutSec}</td>
              <td>{q.serviceLevelSec}</td>
              <td class="admin-actions">
                <button
                  type="button"
                  aria-label={STRINGS.adminEditNamed(q.name)}
                  onClick={() => {
                    setNotice(undefined);
                    setEditing({ mode: 'edit', queue: q });
                  }}
                >
                  {STRINGS.adminEdit}
                </button>
                <button
                  type="button"
                  class="danger"
                  aria-label={STRINGS.adminDeleteNamed(q.name)}
                  onClick={() => void remove(q)}
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
