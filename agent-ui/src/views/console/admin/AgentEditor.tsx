import { useState } from 'preact/hooks';
import { type AdminApi, type Agent, CHANNELS, PERSON_ROLES } from '../../../adapters/admin-api';
import { STRINGS } from '../../../strings';
import { EditorForm, useEditor } from './admin-form';
import { AGENT_FIELD_PATHS, type AgentForm, agentFormOf, agentInputOf, emptyAgentForm } from './agent-form';
import { formErrors } from './form-errors';
import { CheckField, Field, Group, GroupError } from './forms';
import { SkillRows } from './skill-rows';

const ROLE_NAMES = { agent: STRINGS.roleAgent, supervisor: STRINGS.roleSupervisor, admin: STRINGS.roleAdmin };
const CHANNEL_NAMES = {
  voice: STRINGS.channelVoice,
  video: STRINGS.channelVideo,
  email: STRINGS.channelEmail,
  sms: STRINGS.channelSms,
  fax: STRINGS.channelFax,
};

/** Create or edit one agent; `agent` undefined: a new one. Saves through the AS and reports the result. */
export function AgentEditor(props: {
  api: AdminApi;
  agent: Agent | undefined;
  supervisesKnown: boolean;
  queues: readonly string[];
  onSaved: (agent: Agent) => void;
  onCancel: () => void;
}) {
  const creating = props.agent === undefined;
  const [form, setForm] = useState<AgentForm>(() =>
    props.agent ? agentFormOf(props.agent) : emptyAgentForm(props.supervisesKnown),
  );
  const set = (patch: Partial<AgentForm>) => setForm((f) => ({ ...f, ...patch }));
  const editor = useEditor<Agent>(
    props,
    creating,
    (err) => formErrors(err, AGENT_FIELD_PATHS, STRINGS.adminSaveFailed),
    () => {
      const input = agentInputOf(form, creating);
      return props.agent ? props.api.updateAgent(props.agent.id, input) : props.api.createAgent(input);
    },
  );
  const { errors } = editor;
  const field = (
    label: string,
    path: string,
    value: string,
    onInput: (v: string) => void,
    type?: 'number',
  ) => <Field label={label} path={path} errors={errors} value={value} onInput={onInput} type={type} />;

  return (
    <EditorForm title={creating ? STRINGS.adminNewAgent : STRINGS.adminEditAgent(form.login)} editor={editor}>
      <Group legend={STRINGS.adminIdentity}>
        <div class="admin-fields">
          <Field
            label={STRINGS.adminLogin}
            path="login"
            errors={errors}
            value={form.login}
            disabled={!creating}
            onInput={(login) => set({ login })}
          />
          {field(STRINGS.adminDisplayName, 'displayName', form.displayName, (displayName) =>
            set({ displayName }),
          )}
          <Field
            label={creating ? STRINGS.adminPassword : STRINGS.adminPasswordReset}
            path="password"
            type="password"
            autocomplete="new-password"
            errors={errors}
            value={form.password}
            onInput={(password) => set({ password })}
          />
        </div>
        <CheckField
          label={STRINGS.adminActive}
          checked={form.active}
          onChange={(active) => set({ active })}
        />
      </Group>
      <Group legend={STRINGS.adminRoles}>
        {PERSON_ROLES.map((role) => (
          <CheckField
            key={role}
            label={ROLE_NAMES[role]}
            checked={form.roles.includes(role)}
            onChange={(on) =>
              set({ roles: PERSON_ROLES.filter((r) => (r === role ? on : form.roles.includes(r))) })
            }
          />
        ))}
        <GroupError errors={errors} path="roles" />
      </Group>
      <Group legend={STRINGS.adminSkills}>
        <SkillRows
          skills={form.skills}
          levelKey="level"
          levelLabel={STRINGS.adminSkillLevel}
          blank={{ name: '', level: '5' }}
          errors={errors}
          groupError
          onChange={(skills) => set({ skills })}
        />
      </Group>
      <Group legend={STRINGS.adminDevices}>
        <div class="admin-fields">
          {field(STRINGS.adminSipEndpoint, 'endpoints.sip', form.sip, (sip) => set({ sip }))}
          {field(STRINGS.adminWebrtcEndpoint, 'endpoints.webrtc', form.webrtc, (webrtc) => set({ webrtc }))}
          {field(STRINGS.adminCallerIdName, 'callerId.name', form.callerIdName, (v) =>
            set({ callerIdName: v }),
          )}
          {field(STRINGS.adminCallerIdNumber, 'callerId.number', form.callerIdNumber, (v) =>
            set({ callerIdNumber: v }),
          )}
        </div>
      </Group>
      <Group legend={STRINGS.adminMaxTasks}>
        <div class="admin-fields">
          {CHANNELS.map((c) =>
            field(
              CHANNEL_NAMES[c],
              `maxTasks.${c}`,
              form.maxTasks[c],
              (v) => set({ maxTasks: { ...form.maxTasks, [c]: v } }),
              'number',
            ),
          )}
          {field(STRINGS.adminMaxTotal, 'maxTotal', form.maxTotal, (maxTotal) => set({ maxTotal }), 'number')}
        </div>
        <CheckField
          label={STRINGS.adminCallBlocksTasks}
          checked={form.callBlocksTasks ?? true}
          onChange={(callBlocksTasks) => set({ callBlocksTasks })}
        />
      </Group>
      {form.supervises !== undefined && form.roles.includes('supervisor') && (
        <Group legend={STRINGS.adminSupervises}>
          {props.queues.map((q) => (
            <CheckField
              key={q}
              label={q}
              checked={form.supervises?.includes(q) ?? false}
              onChange={(on) =>
                set({
                  supervises: props.queues.filter((x) => (x === q ? on : form.supervises?.includes(x))),
                })
              }
            />
          ))}
          <GroupError errors={errors} path="supervises" />
        </Group>
      )}
    </EditorForm>
  );
}
