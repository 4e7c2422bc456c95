/**
 * The IVR flow editor's pure logic: which fields and outgoing links each node type has (one descriptor
 * per type, so a new node type in lib/flow/flow.ts is one entry here), the canvas edges of a graph,
 * linking and unlinking, adding and removing nodes, and where the AS's check problems belong. No DOM,
 * no HTTP, no canvas library: unit-tested in spec/unit/agent-ui/flow-graph.spec.ts.
 */
import {
  DTMF_KEYS,
  type FlowCheck,
  type FlowGraph,
  type FlowNode,
  type FlowProblem,
} from '../../../lib/flow/flow';

export type NodeType = FlowNode['type'];
export type { FlowCheck, FlowGraph, FlowNode, FlowProblem };
export { DTMF_KEYS };

/** A property edited in the side panel; `prompt`, `queue`, `schedule` are picked from the AS's lists. */
export interface FieldSpec {
  name: string;
  kind: 'prompt' | 'queue' | 'schedule' | 'text' | 'int';
  required: boolean;
  min?: number;
  max?: number;
}

export interface NodeKind {
  type: NodeType;
  fields: readonly FieldSpec[];
  /** Fields naming another node, each one outgoing link (a menu's keys come on top of these). */
  links: readonly string[];
  /** Menu: one link per DTMF key. */
  choices: boolean;
  /** A new node of this type; link fields start empty (unconnected). */
  create(id: string): FlowNode;
}

const prompt = (name: string, required: boolean): FieldSpec => ({ name, kind: 'prompt', required });

/** Every node type the flow model has, in palette order. */
export const NODE_KINDS: readonly NodeKind[] = [
  {
    type: 'play',
    fields: [prompt('prompt', true)],
    links: ['next'],
    choices: false,
    create: (id) => ({ id, type: 'play', prompt: '', next: '' }),
  },
  {
    type: 'menu',
    fields: [
      prompt('prompt', true),
      prompt('invalidPrompt', false),
      prompt('noInputPrompt', false),
      { name: 'timeoutSec', kind: 'int', required: true, min: 1, max: 60 },
      { name: 'maxRetries', kind: 'int', required: true, min: 0, max: 10 },
    ],
    links: ['default'],
    choices: true,
    create: (id) => ({
      id,
      type: 'menu',
      prompt: '',
      choices: [{ key: '1', next: '' }],
      timeoutSec: 5,
      maxRetries: 2,
      default: '',
    }),
  },
  {
    type: 'data',
    fields: [{ name: 'field', kind: 'text', required: true }, prompt('prompt', false)],
    links: ['next', 'notFound'],
    choices: false,
    create: (id) => ({ id, type: 'data', field: '', next: '', notFound: '' }),
  },
  {
    type: 'hours',
    fields: [{ name: 'schedule', kind: 'schedule', required: true }],
    links: ['open', 'closed'],
    choices: false,
    create: (id) => ({ id, type: 'hours', schedule: '', open: '', closed: '' }),
  },
  {
    type: 'queue',
    fields: [{ name: 'queue', kind: 'queue', required: true }],
    links: [],
    choices: false,
    create: (id) => ({ id, type: 'queue', queue: '' }),
  },
  {
    type: 'callback',
    fields: [{ name: 'queue', kind: 'queue', required: true }, prompt('prompt', false)],
    links: [],
    choices: false,
    create: (id) => ({ id, type: 'callback', queue: '' }),
  },
  {
    type: 'voicemail',
    fields: [prompt('prompt', false), { name: 'queue', kind: 'queue', required: false }],
    links: [],
    choices: false,
    create: (id) => ({ id, type: 'voicemail' }),
  },
  {
    type: 'hangup',
    fields: [prompt('prompt', false)],
    links: [],
    choices: false,
    create: (id) => ({ id, type: 'hangup' }),
  },
];

const KINDS = new Map<string, NodeKind>(NODE_KINDS.map((k) => [k.type, k]));

export function kindOf(type: string): NodeKind {
  const kind = KINDS.get(type);
  if (kind === undefined) throw new Error(`unknown node type ${type}`);
  return kind;
}

/** A node's property by a name from the descriptor table (never a name from input). */
export function fieldValue(node: FlowNode, name: string): string | number | undefined {
  const value = (node as unknown as Record<string, unknown>)[name];
  return typeof value === 'string' || typeof value === 'number' ? value : undefined;
}

/** Sets (or, for an empty optional value, removes) a property named in the descriptor table. */
export function withField(node: FlowNode, name: string, value: string | number | undefined): FlowNode {
  const copy = { ...node } as unknown as Record<string, unknown>;
  if (value === undefined || value === '') {
    const spec = kindOf(node.type).fields.find((f) => f.name === name);
    if (spec?.required === true) copy[name] = '';
    else delete copy[name];
  } else {
    copy[name] = value;
  }
  return copy as unknown as FlowNode;
}

/**
 * One outgoing link: `handle` is the field (`next`, `default`...) or `choice:<index>` for a menu's
 * choice (by position, so two choices with the same key, which the check refuses, stay two links).
 */
export interface Link {
  handle: string;
  /** The DTMF key of a menu choice. */
  key?: string;
  /** '' when not connected yet. */
  target: string;
}

export function linksOf(node: FlowNode): Link[] {
  const kind = kindOf(node.type);
  const links: Link[] = [];
  if (node.type === 'menu') {
    node.choices.forEach((c, i) => links.push({ handle: `choice:${i}`, key: c.key, target: c.next }));
  }
  for (const field of kind.links)
    links.push({ handle: field, target: String(fieldValue(node, field) ?? '') });
  return links;
}

/** Points one link of `source` at `target` ('' unlinks it). */
export function setLink(graph: FlowGraph, source: string, handle: string, target: string): FlowGraph {
  return mapNode(graph, source, (node) => {
    if (handle.startsWith('choice:')) {
      if (node.type !== 'menu') return node;
      const index = Number(handle.slice('choice:'.length));
      return { ...node, choices: node.choices.map((c, i) => (i === index ? { ...c, next: target } : c)) };
    }
    if (!kindOf(node.type).links.includes(handle)) return node;
    return { ...node, [handle]: target };
  });
}

export function mapNode(graph: FlowGraph, id: string, f: (node: FlowNode) => FlowNode): FlowGraph {
  return { ...graph, nodes: graph.nodes.map((n) => (n.id === id ? f(n) : n)) };
}

/** `play3`: the type and the first number no node uses yet. */
export function freeId(graph: FlowGraph, type: NodeType): string {
  const used = new Set(graph.nodes.map((n) => n.id));
  for (let i = 1; ; i++) if (!used.has(`${type}${i}`)) return `${type}${i}`;
}

export function addNode(graph: FlowGraph, type: NodeType): { graph: FlowGraph; id: string } {
  const id = freeId(graph, type);
  return { graph: { ...graph, nodes: [...graph.nodes, kindOf(type).create(id)] }, id };
}

/** Removes a node; links that pointed at it become unconnected; the entry moves to the first node left. */
export function removeNode(graph: FlowGraph, id: string): FlowGraph {
  const nodes = graph.nodes.filter((n) => n.id !== id);
  let next: FlowGraph = { entry: graph.entry === id ? (nodes[0]?.id ?? '') : graph.entry, nodes };
  for (const node of nodes) {
    for (const link of linksOf(node)) {
      if (link.target === id) next = setLink(next, node.id, link.handle, '');
    }
  }
  return next;
}

/** Keys in the order a caller reads them on a keypad: a new choice takes the first free one. */
const KEYPAD_ORDER = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '*', '#'] as const;

/** Menu keys: add the first free key, change one, remove one. */
export function addChoice(graph: FlowGraph, menuId: string): FlowGraph {
  return mapNode(graph, menuId, (node) => {
    if (node.type !== 'menu') return node;
    const used = new Set(node.choices.map((c) => c.key));
    const key = KEYPAD_ORDER.find((k) => !used.has(k));
    return key === undefined ? node : { ...node, choices: [...node.choices, { key, next: '' }] };
  });
}

export function setChoiceKey(graph: FlowGraph, menuId: string, index: number, key: string): FlowGraph {
  return mapNode(graph, menuId, (node) =>
    node.type !== 'menu'
      ? node
      : { ...node, choices: node.choices.map((c, i) => (i === index ? { ...c, key } : c)) },
  );
}

export function removeChoice(graph: FlowGraph, menuId: string, index: number): FlowGraph {
  return mapNode(graph, menuId, (node) =>
    node.type !== 'menu' ? node : { ...node, choices: node.choices.filter((_, i) => i !== index) },
  );
}

/** A problem found before asking the AS: a link not connected or a required property left empty. */
export interface LocalProblem {
  nodeId: string;
  path: string;
  kind: 'unlinked' | 'empty';
  /** The empty field, or the unlinked link's handle (`next`, `choice:1`). */
  field: string;
  /** The menu key of an unlinked choice. */
  key?: string;
}

/**
 * What would make the AS refuse the graph's shape (an empty link or field is not a flow at all); the
 * AS's own check (references, keys, loops) runs only on a graph without these.
 */
export function localProblems(graph: FlowGraph): LocalProblem[] {
  const problems: LocalProblem[] = [];
  graph.nodes.forEach((node, i) => {
    for (const f of kindOf(node.type).fields) {
      if (f.required && (fieldValue(node, f.name) ?? '') === '') {
        problems.push({ nodeId: node.id, path: `nodes[${i}].${f.name}`, kind: 'empty', field: f.name });
      }
    }
    linksOf(node).forEach((link, l) => {
      if (link.target !== '') return;
      const path = link.key === undefined ? `nodes[${i}].${link.handle}` : `nodes[${i}].choices[${l}].next`;
      problems.push({
        nodeId: node.id,
        path,
        kind: 'unlinked',
        field: link.handle,
        ...(link.key === undefined ? {} : { key: link.key }),
      });
    });
  });
  return problems;
}

/**
 * The node each of the AS's problems is about, from its path (`nodes[3].choices[1].next` is about the
 * fourth node); problems about the whole flow (`entry`) are under ''.
 */
export function problemsByNode(graph: FlowGraph, problems: readonly FlowProblem[]): Map<string, string[]> {
  const byNode = new Map<string, string[]>();
  for (const p of problems) {
    const m = /^nodes\[(\d+)\]/.exec(p.path);
    const id = m === null ? '' : (graph.nodes[Number(m[1])]?.id ?? '');
    byNode.set(id, [...(byNode.get(id) ?? []), p.message]);
  }
  return byNode;
}

/** The node a message of hapi's payload validation names (`"nodes[2].queue" is not allowed...`). */
export function nodeOfValidationMessage(graph: FlowGraph, message: string): string {
  const m = /nodes\[(\d+)\]/.exec(message);
  return m === null ? '' : (graph.nodes[Number(m[1])]?.id ?? '');
}

export interface Position {
  x: number;
  y: number;
}
export interface NodePosition extends Position {
  id: string;
}

export const LAYOUT = { columnGap: 240, rowGap: 170 } as const;

/**
 * Layered layout for a flow without positions: each node one row below the first node that links to
 * it (breadth-first from the entry), rows centred on x = 0; nodes the entry cannot reach go in a last row.
 */
export function autoLayout(graph: FlowGraph): Map<string, Position> {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const depth = new Map<string, number>();
  const rows: string[][] = [];
  const place = (id: string, d: number) => {
    depth.set(id, d);
    (rows[d] ??= []).push(id);
  };
  if (byId.has(graph.entry)) place(graph.entry, 0);
  for (let d = 0; d < rows.length; d++) {
    for (const id of rows[d] ?? []) {
      const node = byId.get(id);
      if (node === undefined) continue;
      for (const { target } of linksOf(node)) {
        if (byId.has(target) && !depth.has(target)) place(target, d + 1);
      }
    }
  }
  const rest = graph.nodes.filter((n) => !depth.has(n.id)).map((n) => n.id);
  if (rest.length > 0) rows.push(rest);
  const positions = new Map<string, Position>();
  rows.forEach((row, d) => {
    row.forEach((id, i) => {
      positions.set(id, { x: (i - (row.length - 1) / 2) * LAYOUT.columnGap, y: d * LAYOUT.rowGap });
    });
  });
  return positions;
}

/** Saved positions where there are some, the automatic layout for every node without one. */
export function positionsOf(
  graph: FlowGraph,
  saved: readonly NodePosition[] | undefined,
): Map<string, Position> {
  const auto = autoLayout(graph);
  const stored = new Map((saved ?? []).map((p) => [p.id, { x: p.x, y: p.y }]));
  const positions = new Map<string, Position>();
  for (const node of graph.nodes) {
    positions.set(node.id, stored.get(node.id) ?? auto.get(node.id) ?? { x: 0, y: 0 });
  }
  return positions;
}

/** A free spot for a new node: right of everything there is, level with the top. */
export function freeSpot(positions: ReadonlyMap<string, Position>): Position {
  let maxX = -Infinity;
  let minY = Infinity;
  for (const p of positions.values()) {
    maxX = Math.max(maxX, p.x);
    minY = Math.min(minY, p.y);
  }
  return positions.size === 0 ? { x: 0, y: 0 } : { x: maxX + LAYOUT.columnGap, y: minY };
}

/** The layout as the AS stores it, rounded to whole pixels, only for nodes that exist. */
export function layoutOf(graph: FlowGraph, positions: ReadonlyMap<string, Position>): NodePosition[] {
  return graph.nodes.flatMap((n) => {
    const p = positions.get(n.id);
    return p === undefined ? [] : [{ id: n.id, x: Math.round(p.x), y: Math.round(p.y) }];
  });
}

/** The canvas's edges: one per connected link. */
export interface CanvasEdge {
  id: string;
  source: string;
  sourceHandle: string;
  target: string;
  /** The menu key of a choice's link. */
  key?: string;
}

export function edgesOf(graph: FlowGraph): CanvasEdge[] {
  const ids = new Set(graph.nodes.map((n) => n.id));
  return graph.nodes.flatMap((node) =>
    linksOf(node)
      .filter((l) => ids.has(l.target))
      .map((l) => ({
        id: `${node.id}/${l.handle}`,
        source: node.id,
        sourceHandle: l.handle,
        target: l.target,
        ...(l.key === undefined ? {} : { key: l.key }),
      })),
  );
}

/** The flow a new flow starts with: one hang-up node, valid as it is. */
export function starterGraph(): FlowGraph {
  return { entry: 'start', nodes: [{ id: 'start', type: 'hangup' }] };
}
