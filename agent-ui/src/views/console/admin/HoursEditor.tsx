import { useState } from 'preact/hooks';
import {
  CLOSED_KINDS,
  type ClosedKind,
  type HoursApi,
  type Schedule,
  WEEKDAYS,
  type Weekday,
} from '../../../adapters/hours-api';
import { STRINGS } from '../../../strings';
import { EditorForm, useEditor } from './admin-form';
import { CheckField, Field, Group, GroupError, SelectField, namesWithNone } from './forms';
import { type HoursForm, emptyHoursForm, hoursErrors, hoursFormOf, scheduleInputOf } from './hours-form';

const DAY_NAMES: Record<Weekday, string> = {
  mon: STRINGS.hoursMon,
  tue: STRINGS.hoursTue,
  wed: STRINGS.hoursWed,
  thu: STRINGS.hoursThu,
  fri: STRINGS.hoursFri,
  sat: STRINGS.hoursSat,
  sun: STRINGS.hoursSun,
};
export const KIND_NAMES: Record<ClosedKind, string> = {
  prompt: STRINGS.hoursKindPrompt,
  voicemail: STRINGS.hoursKindVoicemail,
  queue: STRINGS.hoursKindQueue,
};

/** One schedule: weekly hours, holidays, the closed-hours action and the queues and numbers it gates. */
export function HoursEditor(props: {
  api: HoursApi;
  schedule: Schedule | undefined;
  queues: readonly string[];
  prompts: readonly string[];
  onSaved: (s: Schedule) => void;
  onCancel: () => void;
}) {
  const creating = props.schedule === undefined;
  const [form, setForm] = useState<HoursForm>(() =>
    props.schedule
      ? hoursFormOf(props.schedule)
      : emptyHoursForm(Intl.DateTimeFormat().resolvedOptions().timeZone),
  );
  const set = (patch: Partial<HoursForm>) => setForm((f) => ({ ...f, ...patch }));
  const setHoliday = (i: number, patch: Partial<HoursForm['holidays'][number]>) =>
    set({ holidays: form.holidays.map((h, j) => (j === i ? { ...h, ...patch } : h)) });

  const editor = useEditor<Schedule>(
    props,
    creating,
    (err) => hoursErrors(err, STRINGS.adminSaveFailed),
    () => {
      const input = scheduleInputOf(form, STRINGS.hoursBadHours);
      return creating ? props.api.create(input) : props.api.replace(input);
    },
  );
  const { errors } = editor;

  return (
    <EditorForm title={creating ? STRINGS.hoursNew : STRINGS.hoursEdit(form.name)} editor={editor}>
      <Field
        label={STRINGS.hoursName}
        path="name"
        errors={errors}
        value={form.name}
        required
        disabled={!creating}
        onInput={(name) => set({ name })}
      />
      <Field
        label={STRINGS.hoursDescription}
        path="description"
        errors={errors}
        value={form.description}
        onInput={(description) => set({ description })}
      />
      <Field
        label={STRINGS.hoursTimeZone}
        path="timeZone"
        errors={errors}
        value={form.timeZone}
        required
        onInput={(timeZone) => set({ timeZone })}
      />
      <Group legend={STRINGS.hoursWeekly}>
        <p class="hint">{STRINGS.hoursWeeklyHint}</p>
        {WEEKDAYS.map((day) => (
          <Field
            key={day}
            label={DAY_NAMES[day]}
            path={`weekly.${day}`}
            errors={errors}
            value={form.days[day]}
            onInput={(text) => set({ days: { ...form.days, [day]: text } })}
          />
        ))}
      </Group>
      <Group legend={STRINGS.hoursHolidays}>
        {form.holidays.map((h, i) => (
          <div class="row" key={i}>
            <Field
              label={STRINGS.hoursHolidayDate(i + 1)}
              path={`holidays.${i}.date`}
              errors={errors}
              type="date"
              value={h.date}
              onInput={(date) => setHoliday(i, { date })}
            />
            <Field
              label={STRINGS.hoursHolidayName(i + 1)}
              path={`holidays.${i}.name`}
              errors={errors}
              value={h.name}
              onInput={(name) => setHoliday(i, { name })}
            />
            <Field
              label={STRINGS.hoursHolidayHours(i + 1)}
              path={`holidays.${i}.hours`}
              errors={errors}
              value={h.hours}
              onInput={(hours) => setHoliday(i, { hours })}
            />
            <button type="button" onClick={() => set({ holidays: form.holidays.filter((_, j) => j !== i) })}>
              {STRINGS.hoursRemoveHoliday(i + 1)}
            </button>
          </div>
        ))}
        <GroupError errors={errors} path="holidays" />
        <button
          type="button"
          onClick={() => set({ holidays: [...form.holidays, { date: '', name: '', hours: '' }] })}
        >
          {STRINGS.hoursAddHoliday}
        </button>
      </Group>
      <Group legend={STRINGS.hoursClosedAction}>
        <SelectField
          label={STRINGS.hoursClosedKind}
          path="closedAction"
          errors={errors}
          value={form.closedKind}
          options={CLOSED_KINDS.map((k) => ({ value: k, label: KIND_NAMES[k] }))}
          onChange={(v) => set({ closedKind: v as ClosedKind })}
        />
        {form.closedKind !== 'queue' ? (
          <SelectField
            label={STRINGS.hoursPrompt}
            path="closedPrompt"
            errors={errors}
            value={form.closedPrompt}
            options={namesWithNone(props.prompts)}
            onChange={(closedPrompt) => set({ closedPrompt })}
          />
        ) : (
          <SelectField
            label={STRINGS.hoursQueue}
            path="closedQueue"
            errors={errors}
            value={form.closedQueue}
            options={namesWithNone(props.queues)}
            onChange={(closedQueue) => set({ closedQueue })}
          />
        )}
      </Group>
      <Group legend={STRINGS.hoursAssign}>
        <Group legend={STRINGS.hoursQueues}>
          {props.queues.map((q) => (
            <CheckField
              key={q}
              label={q}
              checked={form.queues.includes(q)}
              onChange={(on) =>
                set({ queues: on ? [...form.queues, q] : form.queues.filter((x) => x !== q) })
              }
            />
          ))}
        </Group>
        <Field
          label={STRINGS.hoursNumbers}
          path="numbers"
          errors={errors}
          value={form.numbers}
          onInput={(numbers) => set({ numbers })}
        />
      </Group>
    </EditorForm>
  );
}
