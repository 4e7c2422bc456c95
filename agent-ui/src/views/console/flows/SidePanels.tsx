import type { FlowVersion } from '../../../adapters/flows-api';
import { NODE_KINDS, type FlowGraph, type LocalProblem } from '../../../domain/flow-graph';
import { STRINGS } from '../../../strings';
import { useId } from '../../common';
import { NODE_LOOK, fieldLabel, linkLabel } from './node-look';
import type { FlowEditorActions } from './use-flow-editor';

/** Adds a node of any type; the new node is selected so its properties open at once. */
export function Palette(props: { actions: FlowEditorActions }) {
  const id = useId('flow-palette');
  return (
    <nav class="flow-palette" aria-labelledby={id}>
      <h3 id={id} class="flow-side-title">
        {STRINGS.flowPalette}
      </h3>
      {NODE_KINDS.map((k) => (
        <button
          type="button"
          key={k.type}
          class={`flow-palette-item tone-${NODE_LOOK[k.type].tone}`}
          title={NODE_LOOK[k.type].hint}
          aria-label={STRINGS.flowAddNode(NODE_LOOK[k.type].label)}
          onClick={() => props.actions.add(k.type)}
        >
          <span class="flow-card-icon" aria-hidden="true">
            {NODE_LOOK[k.type].icon}
          </span>
          {NODE_LOOK[k.type].label}
        </button>
      ))}
    </nav>
  );
}

/** Every node as a button: the keyboard and screen-reader way to the canvas's nodes. */
export function NodeList(props: {
  graph: FlowGraph;
  selected: string | undefined;
  problems: Map<string, string[]>;
  actions: FlowEditorActions;
}) {
  const id = useId('flow-nodes');
  return (
    <section aria-labelledby={id} class="flow-panel-section">
      <h3 id={id} class="flow-side-title">
        {STRINGS.flowNodes}
      </h3>
      <ul class="flow-node-list">
        {props.graph.nodes.map((n) => (
          <li key={n.id}>
            <button
              type="button"
              aria-pressed={props.selected === n.id}
              class={(props.problems.get(n.id)?.length ?? 0) > 0 ? 'invalid' : ''}
              onClick={() => props.actions.select(n.id)}
            >
              {STRINGS.flowNodeOption(NODE_LOOK[n.type].label, n.id)}
              {props.graph.entry === n.id ? ` · ${STRINGS.flowEntryBadge}` : ''}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A problem found in the page, in words. */
export function localMessage(p: LocalProblem): string {
  return p.kind === 'unlinked'
    ? STRINGS.flowUnlinked(linkLabel({ handle: p.field, ...(p.key === undefined ? {} : { key: p.key }) }))
    : STRINGS.flowEmptyField(fieldLabel(p.field));
}

/** The problems of the whole graph, each naming its node: announced as they appear. */
export function ProblemList(props: { problems: Map<string, string[]>; warnings: string[] }) {
  const rows: string[] = [];
  for (const [node, messages] of props.problems) {
    for (const m of messages) rows.push(node === '' ? m : STRINGS.flowProblemAt(node, m));
  }
  return (
    <div class="flow-problems">
      <ul role="alert" aria-label={STRINGS.flowProblems} class="flow-problem-list">
        {rows.map((r) => (
          <li key={r}>{r}</li>
        ))}
      </ul>
      {rows.length === 0 && props.warnings.length === 0 && <p class="flow-ok">{STRINGS.flowNoProblems}</p>}
      {props.warnings.length > 0 && (
        <ul aria-label={STRINGS.flowWarnings} class="flow-warning-list">
          {props.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Published versions, newest first; any but the live one can be rolled back to. */
export function VersionList(props: {
  versions: FlowVersion[];
  busy: boolean;
  onRollback: (v: number) => void;
}) {
  const id = useId('flow-versions');
  return (
    <section aria-labelledby={id} class="flow-panel-section">
      <h3 id={id} class="flow-side-title">
        {STRINGS.flowVersions}
      </h3>
      {props.versions.length === 0 && <p class="muted small">{STRINGS.flowNoVersions}</p>}
      <ol class="flow-version-list">
        {props.versions.map((v) => (
          <li key={v.version} class={v.live ? 'live' : ''}>
            <span class="flow-version-name">{STRINGS.flowVersionName(v.version)}</span>
            <span class="muted small">{new Date(v.publishedAt).toLocaleString()}</span>
            {v.live ? (
              <span class="flow-live-badge">{STRINGS.flowLive}</span>
            ) : (
              <button
                type="button"
                class="small"
                disabled={props.busy}
                aria-label={STRINGS.flowRollbackTo(v.version)}
                onClick={() => props.onRollback(v.version)}
              >
                {STRINGS.flowRollback}
              </button>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
