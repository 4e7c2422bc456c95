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
import { EditorForm, useEditor } from './admin-form';
import { formErrors } from './form-errors';
import { CheckField, Field, Group, SelectField, namesWithNone } from './forms';
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
import { SkillRows } from './skill-rows';

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
  const set = (patch: Partial<QueueForm>) => setForm((f) => ({ ...f, ...patch }));
  const promptOptions = namesWithNone(props.prompts);
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

  const editor = useEditor<Queue>(
    props,
    creating,
    (err) => formErrors(err, QUEUE_FIELD_PATHS, STRINGS.adminSaveFailed),
    () => {
      const input = queueInputOf(form, creating);
      return props.queue ? props.api.updateQueue(props.queue.name, input) : props.api.createQueue(input);
    },
  );
  const { errors } = editor;

  return (
    <EditorForm title={creating ? STRINGS.adminNewQueue : STRINGS.adminEditQueue(form.name)} editor={editor}>
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
            options={namesWithNone(props.queues.filter((q) => q !== form.name))}
            onChange={(fallbackQueue) => set({ fallbackQueue })}
          />
        </div>
      </Group>
      <Group legend={STRINGS.adminQueueSkills}>
        <SkillRows
          skills={form.skills}
          levelKey="minLevel"
          levelLabel={STRINGS.adminSkillMinLevel}
          blank={{ name: '', minLevel: '1' }}
          errors={errors}
          onChange={(skills) => set({ skills })}
        />
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
    </EditorForm>
  );
}
