import {
  Background,
  Controls,
  MarkerType,
  MiniMap,
  ReactFlow,
  applyEdgeChanges,
  useReactFlow,
  applyNodeChanges,
  type Connection,
  type Edge,
  type EdgeChange,
  type NodeChange,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { edgesOf, type FlowGraph, type Position } from '../../../domain/flow-graph';
import { STRINGS } from '../../../strings';
import { FlowNodeCard, type CardNode } from './FlowNodeCard';
import { NODE_LOOK, TONE_COLOURS, linkLabel } from './node-look';
import type { FlowEditorActions } from './use-flow-editor';

const NODE_TYPES = { ivr: FlowNodeCard };

const ARIA = {
  'node.a11yDescription.default': STRINGS.flowA11yNode,
  'node.a11yDescription.keyboardDisabled': STRINGS.flowA11yNodeNoKeys,
  'node.a11yDescription.ariaLiveMessage': (m: { direction: string; x: number; y: number }) =>
    STRINGS.flowA11yMoved(m.direction, `${Math.round(m.x)}, ${Math.round(m.y)}`),
  'edge.a11yDescription.default': STRINGS.flowA11yEdge,
  'controls.ariaLabel': STRINGS.flowControls,
  'controls.zoomIn.ariaLabel': STRINGS.flowZoomIn,
  'controls.zoomOut.ariaLabel': STRINGS.flowZoomOut,
  'controls.fitView.ariaLabel': STRINGS.flowFitView,
  'controls.interactive.ariaLabel': STRINGS.flowLockCanvas,
  'minimap.ariaLabel': STRINGS.flowMiniMap,
  'handle.ariaLabel': STRINGS.flowHandle,
};

/** A card's size for fitting the view (CSS: 190-240 px wide; menus with problems are taller). */
const CARD = { width: 240, height: 130 };

/** Fits the laid-out flow into view after "Auto layout" moved every node. */
function FitAfterLayout(props: { stamp: number; positions: Map<string, Position> }) {
  const flow = useReactFlow();
  useEffect(() => {
    if (props.stamp === 0 || props.positions.size === 0) return;
    const xs = [...props.positions.values()].map((p) => p.x);
    const ys = [...props.positions.values()].map((p) => p.y);
    const x = Math.min(...xs);
    const y = Math.min(...ys);
    const bounds = {
      x,
      y,
      width: Math.max(...xs) - x + CARD.width,
      height: Math.max(...ys) - y + CARD.height,
    };
    void flow.fitBounds(bounds, { padding: 0.15 });
    // Only a new layout moves the view, not every later edit.
  }, [props.stamp, flow]);
  return null;
}

interface Props {
  graph: FlowGraph;
  positions: Map<string, Position>;
  selected: string | undefined;
  problems: Map<string, string[]>;
  layoutStamp: number;
  actions: FlowEditorActions;
}

/**
 * The canvas (@xyflow/react on preact/compat). The graph in the editor's state is the truth; the
 * canvas keeps its own copy of the nodes only for what it measures and moves while dragging.
 */
export function FlowCanvas(props: Props) {
  const { graph, positions, selected, problems, actions } = props;
  const problemKey = JSON.stringify([...problems]);
  const [nodes, setNodes] = useState<CardNode[]>([]);
  const [edges, setEdges] = useState<Edge[]>([]);

  useEffect(() => {
    setNodes((previous) => {
      const before = new Map(previous.map((n) => [n.id, n]));
      return graph.nodes.map((node): CardNode => {
        const old = before.get(node.id);
        return {
          id: node.id,
          type: 'ivr',
          position: positions.get(node.id) ?? { x: 0, y: 0 },
          data: { node, entry: node.id === graph.entry, problems: problems.get(node.id) ?? [] },
          selected: node.id === selected,
          ariaLabel: STRINGS.flowNodeAria(NODE_LOOK[node.type].label, node.id),
          ...(old?.measured ? { measured: old.measured } : {}),
        };
      });
    });
    // problems is rebuilt every render; its content is what matters
  }, [graph, positions, selected, problemKey]);

  useEffect(() => {
    setEdges(
      edgesOf(graph).map((e) => ({
        id: e.id,
        source: e.source,
        sourceHandle: e.sourceHandle,
        target: e.target,
        label: linkLabel({ handle: e.sourceHandle, ...(e.key === undefined ? {} : { key: e.key }) }),
        type: 'smoothstep',
        markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18 },
        ariaLabel: STRINGS.flowEdgeAria(
          e.source,
          linkLabel({ handle: e.sourceHandle, ...(e.key === undefined ? {} : { key: e.key }) }),
          e.target,
        ),
        class: e.key === undefined ? 'flow-edge' : 'flow-edge key',
      })),
    );
  }, [graph]);

  const onNodesChange = (changes: NodeChange<CardNode>[]) => {
    setNodes((current) => applyNodeChanges(changes, current));
    // One batch selects a node and unselects the previous one, in node order: the selected one wins.
    const chosen = changes.find((c) => c.type === 'select' && c.selected);
    if (chosen !== undefined && chosen.type === 'select') actions.select(chosen.id);
    else if (changes.some((c) => c.type === 'select' && !c.selected && c.id === selected))
      actions.select(undefined);
  };
  const onEdgesChange = (changes: EdgeChange[]) => setEdges((current) => applyEdgeChanges(changes, current));

  const fitViewOptions = useMemo(() => ({ padding: 0.2, maxZoom: 1.1 }), []);
  return (
    <div class="flow-canvas" role="region" aria-label={STRINGS.flowCanvas}>
      <ReactFlow<CardNode>
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onNodeDragStop={(_e, _node, dragged) =>
          actions.move(dragged.map((n) => ({ id: n.id, position: n.position })))
        }
        onConnect={(c: Connection) => {
          if (c.sourceHandle) actions.link([{ source: c.source, handle: c.sourceHandle, target: c.target }]);
        }}
        onEdgesDelete={(gone) =>
          actions.link(
            gone.flatMap((e) =>
              e.sourceHandle ? [{ source: e.source, handle: e.sourceHandle, target: '' }] : [],
            ),
          )
        }
        onNodesDelete={(gone) => {
          for (const n of gone) actions.remove(n.id);
        }}
        ariaLabelConfig={ARIA}
        deleteKeyCode={['Delete', 'Backspace']}
        fitView
        fitViewOptions={fitViewOptions}
        minZoom={0.3}
        maxZoom={1.6}
      >
        <Background gap={20} size={1.2} color="#cfd6e0" />
        <MiniMap<CardNode>
          pannable
          zoomable
          class="flow-minimap"
          nodeColor={(n) => TONE_COLOURS.get(NODE_LOOK[n.data.node.type].tone) ?? '#8a96a8'}
          nodeBorderRadius={6}
        />
        <Controls showInteractive={false} />
        <FitAfterLayout stamp={props.layoutStamp} positions={positions} />
      </ReactFlow>
    </div>
  );
}
