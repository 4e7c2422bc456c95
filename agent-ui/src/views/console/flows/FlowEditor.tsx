import { useEffect, useRef } from 'preact/hooks';
import type { ConsolePhoneView } from '../../../app/console-phone';
import type { Flow, FlowsApi } from '../../../adapters/flows-api';
import { STRINGS } from '../../../strings';
import { FlowCanvas } from './FlowCanvas';
import { NodePanel, type Pickers } from './NodePanel';
import { NodeList, Palette, ProblemList, VersionList, localMessage } from './SidePanels';
import { DiscardDraft } from './DiscardDraft';
import { TestCallControls } from './TestCall';
import { useFlowEditor, type EditorStatus } from './use-flow-editor';

const BUSY_TEXT = {
  checking: STRINGS.flowChecking,
  saving: STRINGS.flowSaving,
  publishing: STRINGS.flowPublishing,
  'rolling-back': STRINGS.flowRollingBack,
  'test-calling': STRINGS.flowTestCalling,
  discarding: STRINGS.flowDiscarding,
} as const;

function statusText(s: EditorStatus): string {
  switch (s.kind) {
    case 'idle':
      return '';
    case 'busy':
      return BUSY_TEXT[s.what];
    case 'checked':
      return s.ok ? STRINGS.flowCheckedOk : STRINGS.flowCheckedBad;
    case 'saved':
      return STRINGS.flowSaved;
    case 'published':
      return STRINGS.flowPublished(s.version);
    case 'rolled-back':
      return STRINGS.flowRolledBack(s.version);
    case 'test-call':
      return STRINGS.flowTestRinging;
    case 'test-ended':
      return STRINGS.flowTestEnded;
    case 'discarded':
      return STRINGS.flowDiscarded(s.version);
    case 'refused':
      return STRINGS.flowRefused(s.message);
    case 'failed':
      return STRINGS.flowFailed(s.message);
  }
}

/** One flow: toolbar, palette, canvas, and the side panel (node, nodes, problems, versions). */
export function FlowEditor(props: {
  api: FlowsApi;
  flow: Flow;
  pickers: Pickers;
  /** The person's browser softphone, registered by the flows area: test calls ring it. */
  phone: { view: ConsolePhoneView; hangUp: () => void };
}) {
  const { state, actions, problems } = useFlowEditor(props.api, props.flow);
  // A test call in progress that the softphone left: the status line says it ended.
  const inCall = props.phone.view.inCall;
  const wasInCall = useRef(inCall);
  useEffect(() => {
    if (wasInCall.current && !inCall) actions.testCallEnded();
    wasInCall.current = inCall;
  }, [inCall, actions]);
  const shown = new Map<string, string[]>();
  for (const p of state.local) shown.set(p.nodeId, [...(shown.get(p.nodeId) ?? []), localMessage(p)]);
  for (const [id, messages] of problems) shown.set(id, [...(shown.get(id) ?? []), ...messages]);
  const node = state.graph.nodes.find((n) => n.id === state.selected);
  const busy = state.status.kind === 'busy';
  const flow = state.flow;
  const live = flow.published !== false && flow.publishedVersion !== undefined;
  return (
    <div class="flow-editor">
      <div class="flow-toolbar" role="toolbar" aria-label={STRINGS.flowToolbar}>
        <div class="flow-title">
          <h2>{flow.name}</h2>
          <span class="flow-number">{STRINGS.flowNumberBadge(flow.calledNumber)}</span>
          <span class={live ? 'flow-state live' : 'flow-state'}>
            {live ? STRINGS.flowLiveVersion(flow.publishedVersion ?? 0) : STRINGS.flowNeverPublished}
          </span>
          {(state.dirty || flow.draft !== undefined) && (
            <span class="flow-state draft">{STRINGS.flowDraftBadge}</span>
          )}
        </div>
        <p class="flow-status" role="status">
          {state.status.kind === 'test-call' && props.phone.view.inCall
            ? STRINGS.flowTestInCall
            : statusText(state.status)}
        </p>
        <button type="button" onClick={actions.relayout}>
          {STRINGS.flowAutoLayout}
        </button>
        <button type="button" disabled={busy} onClick={() => void actions.checkNow()}>
          {STRINGS.flowCheck}
        </button>
        <button type="button" disabled={busy} onClick={() => void actions.save()}>
          {STRINGS.flowSaveDraft}
        </button>
        <button type="button" class="primary" disabled={busy} onClick={() => void actions.publish()}>
          {STRINGS.flowPublish}
        </button>
        {live && (state.dirty || flow.draft !== undefined) && (
          <DiscardDraft
            liveVersion={flow.publishedVersion ?? 0}
            busy={busy}
            onDiscard={() => void actions.discard()}
          />
        )}
        <TestCallControls
          phone={props.phone.view}
          busy={busy}
          onTestCall={() => void actions.testCall()}
          onHangUp={props.phone.hangUp}
        />
      </div>
      <div class="flow-body">
        <Palette actions={actions} />
        <FlowCanvas
          graph={state.graph}
          positions={state.positions}
          selected={state.selected}
          problems={shown}
          layoutStamp={state.layoutStamp}
          actions={actions}
        />
        <aside class="flow-side" aria-label={STRINGS.flowSidePanel}>
          <ProblemList problems={shown} warnings={state.warnings.map((w) => w.message)} />
          {node !== undefined && (
            <NodePanel
              graph={state.graph}
              node={node}
              pickers={props.pickers}
              problems={shown.get(node.id) ?? []}
              actions={actions}
            />
          )}
          <NodeList graph={state.graph} selected={state.selected} problems={shown} actions={actions} />
          <VersionList versions={state.versions} busy={busy} onRollback={(v) => void actions.rollback(v)} />
        </aside>
      </div>
    </div>
  );
}
