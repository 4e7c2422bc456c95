import { useState } from 'preact/hooks';
import type { AdminApi, Agent } from '../../../adapters/admin-api';
import { STRINGS } from '../../../strings';
import { Region } from '../../common';
import { AgentEditor } from './AgentEditor';
import { Notice, useLoad } from './forms';

type Editing = { mode: 'none' } | { mode: 'new' } | { mode: 'edit'; agent: Agent };

/** Agents, supervisors and administrators: the list, a form to create or edit one, deactivation. */
export function AgentsPage(props: {
  api: AdminApi;
  /** The signed-in administrator (the AS refuses to deactivate it). */ selfId?: string | undefined;
}) {
  const { api } = props;
  const agents = useLoad(() => api.agents());
  const queues = useLoad(() => api.queues());
  const [editing, setEditing] = useState<Editing>({ mode: 'none' });
  const [notice, setNotice] = useState<string | undefined>();
  const [rowError, setRowError] = useState<string | undefined>();
  const list = agents.data ?? [];
  // The `supervises` list is shown once the AS's model has it (any agent carries the field).
  const supervisesKnown = list.some((a) => a.supervises !== undefined);

  const setActive = async (agent: Agent, active: boolean) => {
    try {
      await api.updateAgent(agent.id, { active });
      setRowError(undefined);
      setNotice(active ? STRINGS.adminActivated(agent.login) : STRINGS.adminDeactivated(agent.login));
      agents.reload();
    } catch (err) {
      setRowError(err instanceof Error ? err.message : String(err));
    }
  };

  return (
    <Region title={STRINGS.adminAgents}>
      <Notice text={notice} />
      {agents.error !== undefined && (
        <p class="error" role="alert">
          {STRINGS.adminLoadFailed(agents.error)}
        </p>
      )}
      {rowError !== undefined && (
        <p class="error" role="alert">
          {rowError}
        </p>
      )}
      <div class="row">
        <button
          type="button"
          class="primary"
          onClick={() => {
            setNotice(undefined);
            setEditing({ mode: 'new' });
          }}
        >
          {STRINGS.adminNewAgent}
        </button>
      </div>
      {editing.mode !== 'none' && (
        <AgentEditor
          key={editing.mode === 'edit' ? editing.agent.id : 'new'}
          api={api}
          agent={editing.mode === 'edit' ? editing.agent : undefined}
          supervisesKnown={supervisesKnown}
          queues={(queues.data ?? []).map((q) => q.name)}
          onCancel={() => setEditing({ mode: 'none' })}
          onSaved={(saved) => {
            setNotice(STRINGS.adminAgentSaved(saved.login));
            setEditing({ mode: 'none' });
            agents.reload();
          }}
        />
      )}
      <table class="admin-table">
        <caption>{STRINGS.adminAgentsCaption(list.length)}</caption>
        <thead>
          <tr>
            <th scope="col">{STRINGS.adminLogin}</th>
            <th scope="col">{STRINGS.adminDisplayName}</th>
            <th scope="col">{STRINGS.adminRoles}</th>
            <th scope="col">{STRINGS.adminSkills}</th>
            <th scope="col">{STRINGS.adminDevices}</th>
            <th scope="col">{STRINGS.adminActive}</th>
            <th scope="col">{STRINGS.adminActions}</th>
          </tr>
        </thead>
        <tbody>
          {list.map((a) => (
            <tr key={a.id} class={a.active ? '' : 'inactive'}>
              <th scope="row">{a.login}</th>
              <td>{a.displayName}</td>
              <td>{a.roles.join(', ')}</td>
              <td>{a.skills.map((s) => STRINGS.adminSkillWithLevel(s.name, s.level)).join(', ')}</td>
              <td>{[a.endpoints?.sip, a.endpoints?.webrtc].filter(Boolean).join(', ')}</td>
              <td>{a.active ? STRINGS.adminYes : STRINGS.adminNo}</td>
              <td class="admin-actions">
                <button
                  type="button"
                  aria-label={STRINGS.adminEditNamed(a.login)}
                  onClick={() => {
                    setNotice(undefined);
                    setEditing({ mode: 'edit', agent: a });
                  }}
                >
                  {STRINGS.adminEdit}
                </button>
                {a.id !== props.selfId && (
                  <button
                    type="button"
                    class={a.active ? 'danger' : ''}
                    aria-label={
                      a.active ? STRINGS.adminDeactivateNamed(a.login) : STRINGS.adminActivateNamed(a.login)
                    }
                    onClick={() => void setActive(a, !a.active)}
                  >
                    {a.active ? STRINGS.adminDeactivate : STRINGS.adminActivate}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Region>
  );
}
