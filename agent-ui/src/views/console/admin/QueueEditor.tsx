import { useState } from 'preact/hooks';
import {
  type AdminApi,
  type Queue,
  type QueueChannel,
  QUEUE_CHANNELS,
  SELECTION_POLICIES,
  TIMEOUT_ACTIONS,
} from '../../../adapters/admin-api';
import { STRINGS } from '../../../strings';
import { Region } from '../../common';
import { type FormErrors, NO_ERRORS, formErrors } from './form-errors';
import { CheckField, Field, FormAlert, Group, SelectField } from './forms';
import {
  QUEUE_FIELD_PATHS,
  QUEUE_NUMBERS,
  type QueueForm,
  type QueueNumber,
  emptyQueueForm,
  isTaskChannel,
  queueFormOf,
  queueInputOf,
} from './queue-form';

const NUMBER_LABELS: Record<QueueNumber, string> = {
  priority: STRINGS.adminPriority,
  ringTimeoutSec: STRINGS.adminRingTimeout,
  wrapUpSec: STRINGS.adminWrapUp,
  queueTimeoutSec: STRINGS.adminQueueTimeout,
  serviceLevelSec: STRINGS.adminServiceLevel,
};
const CHANNEL_NAMES: Record<QueueChannel, string> = {
  voice: STRINGS.adminQueueChannelVoice,
  email: STRINGS.channelEmail,
  sms: STRINGS.channelSms,
  fax: STRINGS.channelFax,
};
const POLICY_NAMES: Record<(typeof SELECTION_POLICIES)[number], string> = {
  'longest-idle': STRINGS.adminPolicyLongestIdle,
  'least-calls': STRINGS.adminPolicyLeastCalls,
  'skill-level': STRINGS.adminPolicySkillLevel,
};
const ACTION_NAMES: Record<(typeof TIMEOUT_ACTIONS)[number], string> = {
  voicemail: STRINGS.adminTimeoutVoicemail,
  callback: STRINGS.adminTimeoutCallback,
  release: STRINGS.adminTimeoutRelease,
};

/** Every setting of a queue (as/models/queue.ts); `queue` undefined: a new queue. */
export function QueueEditor(props: {
  api: AdminApi;
  queue: Queue | undefined;
  queues: readonly string[];
  prompts: readonly string[];
  onSaved: (queue: Queue) => void;
  onCancel: () => void;
}) {
  const creating = props.queue === undefined;
  const [form, setForm] = useState<QueueForm>(() =>
    props.queue ? queueFormOf(props.queue) : emptyQueueForm(),
  );
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<QueueForm>) => setForm((f) => ({ ...f, ...patch }));
  const none = [{ value: '', label: STRINGS.adminNone }];
  const promptOptions = [...none, ...props.prompts.map((p) => ({ value: p, label: p }))];
  const task = isTaskChannel(form.channel);
  // A task has no caller to play voicemail to or call back.
  const timeoutActions: readonly (typeof TIMEOUT_ACTIONS)[number][] = task ? ['release'] : TIMEOUT_ACTIONS;
  const numberLabel = (k: QueueNumber) =>
    k === 'serviceLevelSec' && task ? STRINGS.adminServiceLevelHours : NUMBER_LABELS[k];
  // A new queue takes the defaults of the channel chosen; an existing one keeps its values.
  const setChannel = (channel: QueueChannel) =>
    setForm((f) =>
      creating
        ? { ...emptyQueueForm(channel), name: f.name, skills: f.skills, addresses: f.addresses }
        : { ...f, channel },
    );

  const save = async () => {
    setBusy(true);
    try {
      const input = queueInputOf(form, creating);
      const saved = props.queue
        ? await props.api.updateQueue(props.queue.name, input)
        : await props.api.createQueue(input);
      setErrors(NO_ERRORS);
      props.onSaved(saved);
    } catch (err) {
      setErrors(formErrors(err, QUEUE_FIELD_PATHS, STRINGS.adminSaveFailed));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Region title={creating ? STRINGS.adminNewQueue : STRINGS.adminEditQueue(form.name)} level={3}>
      <form
        class="admin-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <FormAlert errors={errors} />
        <Group legend={STRINGS.adminRouting}>
          <div class="admin-fields">
            <Field
              label={STRINGS.adminQueueName}
              path="name"
              errors={errors}
              value={form.name}
              disabled={!creating}
              onInput={(name) => set({ name })}
            />
            <SelectField
              label={STRINGS.adminQueueChannel}
              path="channel"
              errors={errors}
              value={form.channel}
              options={QUEUE_CHANNELS.map((c) => ({ value: c, label: CHANNEL_NAMES[c] }))}
              onChange={(v) => setChannel(v as QueueChannel)}
            />
            {task && (
              <Field
                label={STRINGS.adminQueueAddresses}
                path="addresses"
                errors={errors}
                value={form.addresses}
                onInput={(addresses) => set({ addresses })}
              />
            )}
            <SelectField
              label={STRINGS.adminSelectionPolicy}
              path="selectionPolicy"
              errors={errors}
              value={form.selectionPolicy}
              options={SELECTION_POLICIES.map((p) => ({ value: p, label: POLICY_NAMES[p] }))}
              onChange={(v) => set({ selectionPolicy: v as QueueForm['selectionPolicy'] })}
            />
            {QUEUE_NUMBERS.map((k) => (
              <Field
                key={k}
                label={numberLabel(k)}
                path={k}
                type="number"
                errors={errors}
                value={form.numbers[k]}
                onInput={(v) => set({ numbers: { ...form.numbers, [k]: v } })}
              />
            ))}
            <SelectField
              label={STRINGS.adminTimeoutAction}
              path="timeoutAction"
              errors={errors}
              value={form.timeoutAction}
              options={timeoutActions.map((a) => ({ value: a, label: ACTION_NAMES[a] }))}
              onChange={(v) => set({ timeoutAction: v as QueueForm['timeoutAction'] })}
            />
            <SelectField
              label={STRINGS.adminFallbackQueue}
              path="fallbackQueue"
              errors={errors}
              value={form.fallbackQueue}
              options={[
                ...none,
                ...props.queues.filter((q) => q !== form.name).map((q) => ({ value: q, label: q })),
              ]}
              onChange={(fallbackQueue) => set({ fallbackQueue })}
            />
          </div>
        </Group>
        <Group legend={STRINGS.adminQueueSkills}>
          {form.skills.map((skill, i) => (
            <div class="admin-fields admin-row" key={i}>
              <Field
                label={STRINGS.adminSkillName(i + 1)}
                path={`skills.${i}.name`}
                errors={errors}
                value={skill.name}
                onInput={(name) => set({ skills: form.skills.map((s, j) => (j === i ? { ...s, name } : s)) })}
              />
              <Field
                label={STRINGS.adminSkillMinLevel(i + 1)}
                path={`skills.${i}.minLevel`}
                type="number"
                errors={errors}
                value={skill.minLevel}
                onInput={(minLevel) =>
                  set({ skills: form.skills.map((s, j) => (j === i ? { ...s, minLevel } : s)) })
                }
              />
              <button
                type="button"
                class="link"
                onClick={() => set({ skills: form.skills.filter((_, j) => j !== i) })}
              >
                {STRINGS.adminRemoveSkill(i + 1)}
              </button>
            </div>
          ))}
          <button
            type="button"
            onClick={() => set({ skills: [...form.skills, { name: '', minLevel: '1' }] })}
          >
            {STRINGS.adminAddSkill}
          </button>
        </Group>
        {!task && (
          <Group legend={STRINGS.adminWaiting}>
            <div class="admin-fields">
              <SelectField
                label={STRINGS.adminMusic}
                path="media.music"
                errors={errors}
                value={form.music}
                options={promptOptions}
                onChange={(music) => set({ music })}
              />
              <SelectField
                label={STRINGS.adminVideoPrompt}
                path="media.video"
                errors={errors}
                value={form.video}
                options={promptOptions}
                onChange={(video) => set({ video })}
              />
            </div>
            <CheckField
              label={STRINGS.adminRecording}
              checked={form.recording}
              onChange={(recording) => set({ recording })}
            />
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
