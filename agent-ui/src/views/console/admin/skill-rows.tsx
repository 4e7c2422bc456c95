import { STRINGS } from '../../../strings';
import type { FormErrors } from './form-errors';
import { Field, GroupError } from './forms';

/**
 * The skill rows of an agent (`level`) or a queue (`minLevel`): a name and a level each, with a remove
 * button, then the add button. `groupError` shows a refusal of the list as a whole (a duplicate skill).
 */
export function SkillRows<K extends string, S extends { name: string } & Record<K, string>>(props: {
  skills: readonly S[];
  levelKey: K;
  levelLabel: (n: number) => string;
  blank: S;
  errors: FormErrors;
  groupError?: boolean;
  onChange: (skills: S[]) => void;
}) {
  const { skills, levelKey } = props;
  const update = (i: number, patch: Partial<S>) =>
    props.onChange(skills.map((s, j) => (j === i ? { ...s, ...patch } : s)));
  return (
    <>
      {skills.map((skill, i) => (
        <div class="admin-fields admin-row" key={i}>
          <Field
            label={STRINGS.adminSkillName(i + 1)}
            path={`skills.${i}.name`}
            errors={props.errors}
            value={skill.name}
            onInput={(name) => update(i, { name } as Partial<S>)}
          />
          <Field
            label={props.levelLabel(i + 1)}
            path={`skills.${i}.${levelKey}`}
            type="number"
            errors={props.errors}
            value={skill[levelKey]}
            onInput={(level) => update(i, { [levelKey]: level } as Partial<S>)}
          />
          <button type="button" class="link" onClick={() => props.onChange(skills.filter((_, j) => j !== i))}>
            {STRINGS.adminRemoveSkill(i + 1)}
          </button>
        </div>
      ))}
      {props.groupError && <GroupError errors={props.errors} path="skills" />}
      <button type="button" onClick={() => props.onChange([...skills, props.blank])}>
        {STRINGS.adminAddSkill}
      </button>
    </>
  );
}
