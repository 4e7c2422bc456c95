import { Handle, Position, type NodeProps, type Node } from '@xyflow/react';
import { fieldValue, kindOf, linksOf, type FlowNode } from '../../../domain/flow-graph';
import { STRINGS } from '../../../strings';
import { NODE_LOOK, linkLabel } from './node-look';

export interface CardData extends Record<string, unknown> {
  node: FlowNode;
  entry: boolean;
  problems: string[];
}
export type CardNode = Node<CardData, 'ivr'>;

/** What the card says about a node at a glance: its prompt, queue, schedule or field. */
function summary(node: FlowNode): string[] {
  return kindOf(node.type)
    .fields.filter((f) => f.kind !== 'int')
    .flatMap((f) => {
      const v = fieldValue(node, f.name);
      return v === undefined || v === '' ? [] : [`${String(v)}`];
    })
    .slice(0, 2);
}

/** One node on the canvas: type, id, summary, problems, and one output handle per link. */
export function FlowNodeCard(props: NodeProps<CardNode>) {
  const { node, entry, problems } = props.data;
  const look = NODE_LOOK[node.type];
  const links = linksOf(node);
  const bad = problems.length > 0;
  return (
    <div
      class={`flow-card tone-${look.tone}${bad ? ' invalid' : ''}${props.selected ? ' selected' : ''}`}
      data-node-id={node.id}
    >
      <Handle type="target" position={Position.Top} class="flow-in" />
      <div class="flow-card-head">
        <span class="flow-card-icon" aria-hidden="true">
          {look.icon}
        </span>
        <span class="flow-card-type">{look.label}</span>
        {entry && <span class="flow-card-entry">{STRINGS.flowEntryBadge}</span>}
      </div>
      <div class="flow-card-id">{node.id}</div>
      {summary(node).map((s) => (
        <div class="flow-card-summary" key={s}>
          {s}
        </div>
      ))}
      {bad && (
        <ul class="flow-card-problems" aria-label={STRINGS.flowNodeProblems(node.id)}>
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      {links.length > 0 && (
        <div class="flow-card-outs">
          {links.map((l) => (
            <div class="flow-card-out" key={l.handle}>
              <span class={l.target === '' ? 'flow-out-label open' : 'flow-out-label'}>{linkLabel(l)}</span>
              <Handle type="source" position={Position.Bottom} id={l.handle} class="flow-out" />
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
