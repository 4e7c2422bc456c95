import {
  DTMF_KEYS,
  addChoice,
  fieldValue,
  kindOf,
  linksOf,
  mapNode,
  removeChoice,
  setChoiceKey,
  setLink,
  withField,
  type FieldSpec,
  type FlowGraph,
  type FlowNode,
} from '../../../domain/flow-graph';
import { STRINGS } from '../../../strings';
import { useId } from '../../common';
import { NODE_LOOK, fieldLabel, linkLabel } from './node-look';
import type { FlowEditorActions } from './use-flow-editor';

export interface Pickers {
  prompts: string[];
  queues: string[];
  schedules: string[];
}

/** A name picker; a saved name the list lacks stays selectable (shown as missing) so it is not lost. */
function NamePicker(props: {
  spec: FieldSpec;
  value: string;
  names: string[];
  onChange: (v: string) => void;
}) {
  const id = useId('flow-field');
  const names =
    props.value !== '' && !props.names.includes(props.value) ? [props.value, ...props.names] : props.names;
  return (
    <div class="flow-field">
      <label for={id}>{fieldLabel(props.spec.name)}</label>
      <select id={id} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
        <option value="">{props.spec.required ? STRINGS.flowChoose : STRINGS.flowNone}</option>
        {names.map((n) => (
          <option key={n} value={n}>
            {props.names.includes(n) ? n : STRINGS.flowMissingName(n)}
          </option>
        ))}
      </select>
    </div>
  );
}

function Field(props: {
  spec: FieldSpec;
  node: FlowNode;
  pickers: Pickers;
  onChange: (n: FlowNode) => void;
}) {
  const { spec, node } = props;
  const id = useId('flow-field');
  const value = fieldValue(node, spec.name);
  const set = (v: string | number | undefined) => props.onChange(withField(node, spec.name, v));
  if (spec.kind === 'prompt' || spec.kind === 'queue' || spec.kind === 'schedule') {
    const names =
      spec.kind === 'prompt'
        ? props.pickers.prompts
        : spec.kind === 'queue'
          ? props.pickers.queues
          : props.pickers.schedules;
    return <NamePicker spec={spec} value={String(value ?? '')} names={names} onChange={set} />;
  }
  return (
    <div class="flow-field">
      <label for={id}>{fieldLabel(spec.name)}</label>
      {spec.kind === 'int' ? (
        <input
          id={id}
          type="number"
          min={spec.min}
          max={spec.max}
          step={1}
          value={value ?? ''}
          onInput={(e) => {
            const n = e.currentTarget.valueAsNumber;
            if (Number.isFinite(n)) set(Math.trunc(n));
          }}
        />
      ) : (
        <input id={id} value={String(value ?? '')} onInput={(e) => set(e.currentTarget.value.trim())} />
      )}
    </div>
  );
}

function TargetPicker(props: {
  label: string;
  value: string;
  graph: FlowGraph;
  self: string;
  onChange: (t: string) => void;
}) {
  const id = useId('flow-link');
  return (
    <div class="flow-field">
      <label for={id}>{props.label}</label>
      <select id={id} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
        <option value="">{STRINGS.flowNotConnectedOption}</option>
        {props.graph.nodes.map((n) => (
          <option key={n.id} value={n.id}>
            {STRINGS.flowNodeOption(NODE_LOOK[n.type].label, n.id)}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The selected node's properties and links: every field the model has, each with its label. */
export function NodePanel(props: {
  graph: FlowGraph;
  node: FlowNode;
  pickers: Pickers;
  problems: string[];
  actions: FlowEditorActions;
}) {
  const { graph, node, actions } = props;
  const kind = kindOf(node.type);
  const headingId = useId('flow-node');
  const update = (n: FlowNode) => actions.change(mapNode(graph, node.id, () => n));
  const link = (handle: string, target: string) => actions.change(setLink(graph, node.id, handle, target));
  return (
    <section class="flow-panel-section" aria-labelledby={headingId}>
      <h3 id={headingId} class={`flow-panel-title tone-${NODE_LOOK[node.type].tone}`}>
        {STRINGS.flowNodeHeading(NODE_LOOK[node.type].label, node.id)}
      </h3>
      <p class="muted small">{NODE_LOOK[node.type].hint}</p>
      {props.problems.length > 0 && (
        <ul class="flow-problems-inline">
          {props.problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      {kind.fields.map((spec) => (
        <Field key={spec.name} spec={spec} node={node} pickers={props.pickers} onChange={update} />
      ))}
      {node.type === 'menu' && (
        <fieldset class="flow-keys">
          <legend>{STRINGS.flowMenuKeys}</legend>
          {node.choices.map((c, i) => (
            <div class="flow-key-row" key={`${i}-${c.key}`}>
              <select
                aria-label={STRINGS.flowKeyOf(i + 1)}
                value={c.key}
                onChange={(e) => actions.change(setChoiceKey(graph, node.id, i, e.currentTarget.value))}
              >
                {DTMF_KEYS.map((k) => (
                  <option key={k} value={k}>
                    {k}
                  </option>
                ))}
              </select>
              <TargetPicker
                label={STRINGS.flowKeyTarget(i + 1)}
                value={c.next}
                graph={graph}
                self={node.id}
                onChange={(t) => link(`choice:${i}`, t)}
              />
              <button
                type="button"
                class="ghost"
                aria-label={STRINGS.flowRemoveKey(c.key)}
                onClick={() => actions.change(removeChoice(graph, node.id, i))}
              >
                ✕
              </button>
            </div>
          ))}
          <button
            type="button"
            disabled={node.choices.length >= DTMF_KEYS.length}
            onClick={() => actions.change(addChoice(graph, node.id))}
          >
            {STRINGS.flowAddKey}
          </button>
        </fieldset>
      )}
      {linksOf(node)
        .filter((l) => l.key === undefined)
        .map((l) => (
          <TargetPicker
            key={l.handle}
            label={STRINGS.flowLinkTo(linkLabel(l))}
            value={l.target}
            graph={graph}
            self={node.id}
            onChange={(t) => link(l.handle, t)}
          />
        ))}
      <div class="flow-panel-actions">
        <button type="button" disabled={graph.entry === node.id} onClick={() => actions.setEntry(node.id)}>
          {graph.entry === node.id ? STRINGS.flowIsEntry : STRINGS.flowSetEntry}
        </button>
        <button type="button" class="danger" onClick={() => actions.remove(node.id)}>
          {STRINGS.flowDeleteNode(node.id)}
        </button>
      </div>
    </section>
  );
}
