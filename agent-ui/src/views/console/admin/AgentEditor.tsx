import { useState } from 'preact/hooks';
import { type AdminApi, type Agent, CHANNELS, PERSON_ROLES } from '../../../adapters/admin-api';
import { STRINGS } from '../../../strings';
import { Region } from '../../common';
import { AGENT_FIELD_PATHS, type AgentForm, agentFormOf, agentInputOf, emptyAgentForm } from './agent-form';
import { type FormErrors, NO_ERRORS, formErrors } from './form-errors';
import { CheckField, Field, FormAlert, Group } from './forms';

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
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<AgentForm>) => setForm((f) => ({ ...f, ...patch }));
  const field = (
    label: string,
    path: string,
    value: string,
    onInput: (v: string) => void,
    type?: 'number',
  ) => <Field label={label} path={path} errors={errors} value={value} onInput={onInput} type={type} />;

  const save = async () => {
    setBusy(true);
    try {
      const input = agentInputOf(form, creating);
      const saved = props.agent
        ? await props.api.updateAgent(props.agent.id, input)
        : await props.api.createAgent(input);
      setErrors(NO_ERRORS);
      props.onSaved(saved);
    } catch (err) {
      setErrors(formErrors(err, AGENT_FIELD_PATHS, STRINGS.adminSaveFailed));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Region title={creating ? STRINGS.adminNewAgent : STRINGS.adminEditAgent(form.login)} level={3}>
      <form
        class="admin-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <FormAlert errors={errors} />
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
          <FieldErrorFor errors={errors} path="roles" />
        </Group>
        <Group legend={STRINGS.adminSkills}>
          {form.skills.map((skill, i) => (
            <div class="admin-fields admin-row" key={i}>
              {field(STRINGS.adminSkillName(i + 1), `skills.${i}.name`, skill.name, (name) =>
                set({ skills: form.skills.map((s, j) => (j === i ? { ...s, name } : s)) }),
              )}
              {field(
                STRINGS.adminSkillLevel(i + 1),
                `skills.${i}.level`,
                skill.level,
                (level) => set({ skills: form.skills.map((s, j) => (j === i ? { ...s, level } : s)) }),
                'number',
              )}
              <button
                type="button"
                class="link"
                onClick={() => set({ skills: form.skills.filter((_, j) => j !== i) })}
              >
                {STRINGS.adminRemoveSkill(i + 1)}
              </button>
            </div>
          ))}
          <FieldErrorFor errors={errors} path="skills" />
          <button type="button" onClick={() => set({ skills: [...form.skills, { name: '', level: '5' }] })}>
            {STRINGS.adminAddSkill}
          </button>
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
            {field(
              STRINGS.adminMaxTotal,
              'maxTotal',
              form.maxTotal,
              (maxTotal) => set({ maxTotal }),
              'number',
            )}
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
            <FieldErrorFor errors={errors} path="supervises" />
          </Group>
        )}
        <div class="row">
          <button type="submit" class="primary" disabled={busy}>
            {creating ? STRINGS.adminCreate : STRINGS.adminSave}
          </button>
          <button type="button" onClick={props.onCancel}>
            {STRINGS.adminCancel}
          </button>
        </div>
      </form>
    </Region>
  );
}

/** An error for a group of inputs (roles, skills) rather than one input. */
function FieldErrorFor(props: { errors: FormErrors; path: string }) {
  const message = props.errors.fields.get(props.path);
  if (message === undefined) return null;
  return (
    <p class="error field-error" role="alert">
      {message}
    </p>
  );
}
