import type { AdminApi, Queue } from '../../../adapters/admin-api';
import { STRINGS } from '../../../strings';
import { AdminTable, EditDeleteCell, ListPage, NewButton, loadFailed, useAdminList } from './admin-list';
import { useLoad } from './forms';
import { QueueEditor } from './QueueEditor';

const COLUMNS = [
  STRINGS.adminQueueName,
  STRINGS.adminSelectionPolicy,
  STRINGS.adminQueueSkills,
  STRINGS.adminPriority,
  STRINGS.adminRingTimeout,
  STRINGS.adminWrapUp,
  STRINGS.adminQueueTimeout,
  STRINGS.adminServiceLevel,
  STRINGS.adminActions,
];

/** Queues: the list with their main settings, a form with every setting, deletion (the AS refuses one in use). */
export function QueuesPage(props: { api: AdminApi }) {
  const { api } = props;
  const page = useAdminList<Queue>(() => api.queues());
  const prompts = useLoad(() => api.prompts());
  const { list, editor } = page;

  return (
    <ListPage
      title={STRINGS.adminQueues}
      notice={page.notice}
      alerts={[page.rowError ?? loadFailed(page.items.error)]}
    >
      <NewButton label={STRINGS.adminNewQueue} onClick={page.openNew} />
      {editor && (
        <QueueEditor
          key={editor.key}
          api={api}
          queue={editor.item}
          queues={list.map((q) => q.name)}
          prompts={(prompts.data ?? []).map((p) => p.name)}
          onCancel={page.close}
          onSaved={(saved) => page.saved(STRINGS.adminQueueSaved(saved.name))}
        />
      )}
      <AdminTable caption={STRINGS.adminQueuesCaption(list.length)} columns={COLUMNS}>
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
            <EditDeleteCell
              name={q.name}
              onEdit={() => page.openEdit(q)}
              onDelete={() => page.remove(q.name, () => api.deleteQueue(q.name))}
            />
          </tr>
        ))}
      </AdminTable>
    </ListPage>
  );
}
