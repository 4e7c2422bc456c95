import type { AdminApi, Agent } from '../../../adapters/admin-api';
import { STRINGS } from '../../../strings';
import {
  AdminTable,
  EditButton,
  ListPage,
  NewButton,
  RowButton,
  loadFailed,
  useAdminList,
} from './admin-list';
import { AgentEditor } from './AgentEditor';
import { useLoad } from './forms';

const COLUMNS = [
  STRINGS.adminLogin,
  STRINGS.adminDisplayName,
  STRINGS.adminRoles,
  STRINGS.adminSkills,
  STRINGS.adminDevices,
  STRINGS.adminActive,
  STRINGS.adminActions,
];

/** Agents, supervisors and administrators: the list, a form to create or edit one, deactivation. */
export function AgentsPage(props: {
  api: AdminApi;
  /** The signed-in administrator (the AS refuses to deactivate it). */ selfId?: string | undefined;
}) {
  const { api } = props;
  const page = useAdminList<Agent>(() => api.agents());
  const queues = useLoad(() => api.queues());
  const { list, editor } = page;
  // The `supervises` list is shown once the AS's model has it (any agent carries the field).
  const supervisesKnown = list.some((a) => a.supervises !== undefined);

  const setActive = (agent: Agent, active: boolean) =>
    page.act(
      () => api.updateAgent(agent.id, { active }),
      active ? STRINGS.adminActivated(agent.login) : STRINGS.adminDeactivated(agent.login),
    );

  return (
    <ListPage
      title={STRINGS.adminAgents}
      notice={page.notice}
      alerts={[loadFailed(page.items.error), page.rowError]}
    >
      <NewButton
        label={STRINGS.adminNewAgent}
        onClick={() => {
          page.setNotice(undefined);
          page.openNew();
        }}
      />
      {editor && (
        <AgentEditor
          key={editor.key}
          api={api}
          agent={editor.item}
          supervisesKnown={supervisesKnown}
          queues={(queues.data ?? []).map((q) => q.name)}
          onCancel={page.close}
          onSaved={(saved) => page.saved(STRINGS.adminAgentSaved(saved.login))}
        />
      )}
      <AdminTable caption={STRINGS.adminAgentsCaption(list.length)} columns={COLUMNS}>
        {list.map((a) => (
          <tr key={a.id} class={a.active ? '' : 'inactive'}>
            <th scope="row">{a.login}</th>
            <td>{a.displayName}</td>
            <td>{a.roles.join(', ')}</td>
            <td>{a.skills.map((s) => STRINGS.adminSkillWithLevel(s.name, s.level)).join(', ')}</td>
            <td>{[a.endpoints?.sip, a.endpoints?.webrtc].filter(Boolean).join(', ')}</td>
            <td>{a.active ? STRINGS.adminYes : STRINGS.adminNo}</td>
            <td class="admin-actions">
              <EditButton name={a.login} onClick={() => page.openEdit(a)} />
              {a.id !== props.selfId && (
                <RowButton
                  text={a.active ? STRINGS.adminDeactivate : STRINGS.adminActivate}
                  label={
                    a.active ? STRINGS.adminDeactivateNamed(a.login) : STRINGS.adminActivateNamed(a.login)
                  }
                  class={a.active ? 'danger' : ''}
                  onClick={() => void setActive(a, !a.active)}
                />
              )}
            </td>
          </tr>
        ))}
      </AdminTable>
    </ListPage>
  );
}
