import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../../adapters/as-api';
import { FlowRefused, type Flow, type FlowsApi, type FlowVersion } from '../../../adapters/flows-api';
import {
  addNode,
  freeSpot,
  layoutOf,
  localProblems,
  positionsOf,
  problemsByNode,
  removeNode,
  setLink,
  type FlowGraph,
  type FlowProblem,
  type LocalProblem,
  type NodeType,
  type Position,
} from '../../../domain/flow-graph';

/** What the toolbar's status line says; the view turns it into text. */
export type EditorStatus =
  | { kind: 'idle' }
  | {
      kind: 'busy';
      what: 'checking' | 'saving' | 'publishing' | 'rolling-back' | 'test-calling' | 'discarding';
    }
  | { kind: 'checked'; ok: boolean }
  | { kind: 'saved' }
  | { kind: 'published'; version: number }
  | { kind: 'rolled-back'; version: number }
  | { kind: 'test-call'; contactId: string }
  | { kind: 'test-ended' }
  | { kind: 'discarded'; version: number }
  | { kind: 'refused'; message: string }
  | { kind: 'failed'; message: string };

export interface EditorState {
  flow: Flow;
  graph: FlowGraph;
  positions: Map<string, Position>;
  selected: string | undefined;
  /** The AS's problems (check or refused save), and the local ones, by node id ('' = the flow). */
  asProblems: FlowProblem[];
  local: LocalProblem[];
  warnings: FlowProblem[];
  /** The graph differs from the stored draft. */
  dirty: boolean;
  status: EditorStatus;
  versions: FlowVersion[];
  /** Bumped by "Auto layout": the canvas fits the new layout into view. */
  layoutStamp: number;
}

/** The draft when there is one, else the live graph. */
function editable(flow: Flow) {
  const source = flow.draft ?? flow;
  const graph: FlowGraph = { entry: source.entry, nodes: source.nodes };
  return { graph, positions: positionsOf(graph, source.layout) };
}

const CHECK_DELAY_MS = 400;

/**
 * The editor's state and what changes it: edits stay in the page until "Save draft"; every edit is
 * checked by the AS (debounced) so problems show on their node before anything is saved.
 */
export function useFlowEditor(api: FlowsApi, initial: Flow) {
  const [state, setState] = useState<EditorState>(() => ({
    flow: initial,
    ...editable(initial),
    selected: undefined,
    asProblems: [],
    local: [],
    warnings: [],
    dirty: false,
    status: { kind: 'idle' },
    versions: [],
    layoutStamp: 0,
  }));
  const checkTicket = useRef(0);
  const patch = (p: Partial<EditorState>) => setState((s) => ({ ...s, ...p }));

  const refreshVersions = useCallback(
    (id: string) => {
      api.versions(id).then(
        (versions) => patch({ versions }),
        () => undefined, // the list is a convenience; the flow itself loaded
      );
    },
    [api],
  );
  useEffect(() => refreshVersions(initial.id), [initial.id, refreshVersions]);

  /** Local problems at once, then the AS's check of a graph without them. */
  const check = useCallback(
    async (graph: FlowGraph, ticket: number): Promise<boolean> => {
      const local = localProblems(graph);
      if (local.length > 0) {
        if (ticket === checkTicket.current) patch({ local, asProblems: [], warnings: [] });
        return false;
      }
      try {
        const result = await api.check(graph);
        if (ticket !== checkTicket.current) return result.errors.length === 0;
        patch({ local: [], asProblems: result.errors, warnings: result.warnings });
        return result.errors.length === 0;
      } catch (err) {
        if (ticket !== checkTicket.current) return false;
        if (err instanceof FlowRefused) patch({ local: [], asProblems: err.problems, warnings: [] });
        else patch({ status: { kind: 'failed', message: err instanceof Error ? err.message : String(err) } });
        return false;
      }
    },
    [api],
  );

  // Debounced check after every edit of the graph.
  useEffect(() => {
    const ticket = ++checkTicket.current;
    const t = setTimeout(() => void check(state.graph, ticket), CHECK_DELAY_MS);
    return () => clearTimeout(t);
  }, [state.graph, check]);

  const edit = (graph: FlowGraph, extra: Partial<EditorState> = {}) =>
    setState((s) => ({ ...s, graph, dirty: true, status: { kind: 'idle' }, ...extra }));

  const loaded = (flow: Flow, status: EditorStatus) =>
    setState((s) => ({ ...s, flow, ...editable(flow), dirty: false, status, asProblems: [], local: [] }));

  const failure = (err: unknown) => {
    if (err instanceof FlowRefused) {
      patch({ asProblems: err.problems, status: { kind: 'refused', message: err.message } });
    } else {
      const message = err instanceof ApiError || err instanceof Error ? err.message : String(err);
      patch({ status: { kind: 'failed', message } });
    }
  };

  const actions = {
    select: (id: string | undefined) => patch({ selected: id }),
    change: (graph: FlowGraph) => edit(graph),
    /** Points links at targets ('' = unlink), applied to the latest graph (the canvas batches them). */
    link: (links: { source: string; handle: string; target: string }[]) =>
      setState((s) => {
        let graph = s.graph;
        for (const l of links) graph = setLink(graph, l.source, l.handle, l.target);
        return graph === s.graph ? s : { ...s, graph, dirty: true, status: { kind: 'idle' } };
      }),
    add: (type: NodeType) =>
      setState((s) => {
        const { graph, id } = addNode(s.graph, type);
        const positions = new Map(s.positions);
        positions.set(id, freeSpot(s.positions));
        return { ...s, graph, positions, selected: id, dirty: true, status: { kind: 'idle' } };
      }),
    remove: (id: string) =>
      setState((s) => {
        const positions = new Map(s.positions);
        positions.delete(id);
        return {
          ...s,
          graph: removeNode(s.graph, id),
          positions,
          selected: s.selected === id ? undefined : s.selected,
          dirty: true,
          status: { kind: 'idle' },
        };
      }),
    move: (moves: { id: string; position: Position }[]) =>
      setState((s) => {
        const positions = new Map(s.positions);
        for (const m of moves) positions.set(m.id, m.position);
        return { ...s, positions, dirty: true };
      }),
    relayout: () =>
      setState((s) => ({
        ...s,
        positions: positionsOf(s.graph, undefined),
        dirty: true,
        layoutStamp: s.layoutStamp + 1,
      })),
    setEntry: (id: string) => edit({ ...state.graph, entry: id }),
    checkNow: async () => {
      patch({ status: { kind: 'busy', what: 'checking' } });
      const ok = await check(state.graph, ++checkTicket.current);
      patch({ status: { kind: 'checked', ok } });
    },
    /** Saves the draft as it is: the AS refuses an invalid one, with the reason shown on its node. */
    save: async (): Promise<boolean> => {
      patch({ status: { kind: 'busy', what: 'saving' } });
      try {
        const flow = await api.saveDraft(state.flow.id, state.graph, layoutOf(state.graph, state.positions));
        setState((s) => ({ ...s, flow, dirty: false, status: { kind: 'saved' }, asProblems: [] }));
        return true;
      } catch (err) {
        failure(err);
        return false;
      }
    },
    /** Saves unsaved edits first, then makes the draft the live version. */
    publish: async () => {
      if (state.dirty && !(await actions.save())) return;
      patch({ status: { kind: 'busy', what: 'publishing' } });
      try {
        const flow = await api.publish(state.flow.id);
        loaded(flow, { kind: 'published', version: flow.publishedVersion ?? 0 });
        refreshVersions(flow.id);
      } catch (err) {
        failure(err);
      }
    },
    /**
     * Rings the person's browser softphone into the draft: unsaved edits are saved first (the AS runs
     * the stored draft), and a flow without a stored draft gets one, so the test runs what is on screen.
     */
    testCall: async () => {
      if ((state.dirty || state.flow.draft === undefined) && !(await actions.save())) return;
      patch({ status: { kind: 'busy', what: 'test-calling' } });
      try {
        const started = await api.testCall(state.flow.id);
        patch({ status: { kind: 'test-call', contactId: started.contactId } });
      } catch (err) {
        failure(err);
      }
    },
    /** The softphone left the test call (hung up on either side). */
    testCallEnded: () =>
      setState((s) => (s.status.kind === 'test-call' ? { ...s, status: { kind: 'test-ended' } } : s)),
    /** Back to the live version: the stored draft is dropped (after the view's confirm step). */
    discard: async () => {
      patch({ status: { kind: 'busy', what: 'discarding' } });
      try {
        if (state.flow.draft !== undefined) await api.discardDraft(state.flow.id);
        const flow = await api.get(state.flow.id);
        loaded(flow, { kind: 'discarded', version: flow.publishedVersion ?? 0 });
      } catch (err) {
        failure(err);
      }
    },
    rollback: async (version: number) => {
      patch({ status: { kind: 'busy', what: 'rolling-back' } });
      try {
        const flow = await api.rollback(state.flow.id, version);
        loaded(flow, { kind: 'rolled-back', version });
        refreshVersions(flow.id);
      } catch (err) {
        failure(err);
      }
    },
  };

  const problems = problemsByNode(state.graph, state.asProblems);
  return { state, actions, problems };
}

export type FlowEditorActions = ReturnType<typeof useFlowEditor>['actions'];
