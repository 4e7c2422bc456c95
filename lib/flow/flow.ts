/**
 * IVR flow graph: the shape the IVR process executes and the AS stores, in lib/ as both use it. This
 * module is pure (no database, no HTTP) so the IVR process can re-check a flow it loads with the same
 * rules the AS applied on save.
 *
 * Node types and the edges (fields naming another node) each has:
 * | type      | does                                              | edges                        |
 * |-----------|---------------------------------------------------|------------------------------|
 * | play      | plays a prompt (a key skips it)                   | next                         |
 * | menu      | plays a prompt, waits for a key                   | choices[].next, default      |
 * | data      | speaks a field of the caller's customer record    | next, notFound               |
 * | hours     | business-hours branch on a schedule               | open, closed                 |
 * | queue     | waits for an agent of a queue (ends the flow)     | -                            |
 * | callback  | books a callback in a queue, hangs up (ends)      | -                            |
 * | voicemail | records a message, hangs up (ends)                | -                            |
 * | hangup    | optional prompt, hangs up (ends)                  | -                            |
 */
export type NodeId = string;

export interface PlayNode {
  id: NodeId;
  type: 'play';
  prompt: string;
  next: NodeId;
}

export interface MenuChoice {
  /** One DTMF digit: 0-9, * or #. */
  key: string;
  next: NodeId;
}

export interface MenuNode {
  id: NodeId;
  type: 'menu';
  prompt: string;
  choices: MenuChoice[];
  /** Played after a key that is not a choice, before the menu prompt is repeated. */
  invalidPrompt?: string;
  /** Played when nothing was pressed within timeoutSec, before the menu prompt is repeated. */
  noInputPrompt?: string;
  timeoutSec: number;
  /** Repeats allowed after an invalid key or no input; then the caller goes to `default`. */
  maxRetries: number;
  default: NodeId;
}

export interface QueueNode {
  id: NodeId;
  type: 'queue';
  /** Queue name. */
  queue: string;
}

export interface HangupNode {
  id: NodeId;
  type: 'hangup';
  prompt?: string;
}

export interface DataNode {
  id: NodeId;
  type: 'data';
  /** Customer field read through interface D (`GET /ivr/callers/{number}/data/{field}`). */
  field: string;
  /** Prompt played before the value is spoken or shown. */
  prompt?: string;
  next: NodeId;
  /** Where to go when the caller is unknown or the field is empty. */
  notFound: NodeId;
}

/**
 * Records the caller's message after an optional greeting (`prompt`), then hangs up. The recording
 * (`voicemail-<contactId>`) is stored on the contact's interaction, attributed to `queue` when given,
 * so that queue's agents find it in the history. Ends the flow.
 */
export interface VoicemailNode {
  id: NodeId;
  type: 'voicemail';
  prompt?: string;
  queue?: string;
}

/**
 * Books a callback to the caller's number in `queue` (CTI dials it when an agent of the queue is free),
 * plays `prompt` (the standard confirmation when absent), then hangs up. Ends the flow; a menu before it
 * is how a caller is offered the choice.
 */
export interface CallbackNode {
  id: NodeId;
  type: 'callback';
  queue: string;
  prompt?: string;
}

/**
 * Branches on a business-hours schedule (by name, lib/hours): to `open` when the schedule is open at the
 * moment the call reaches the node, in the schedule's time zone, else to `closed`.
 */
export interface HoursNode {
  id: NodeId;
  type: 'hours';
  schedule: string;
  open: NodeId;
  closed: NodeId;
}

export type FlowNode =
  PlayNode | MenuNode | QueueNode | HangupNode | DataNode | VoicemailNode | CallbackNode | HoursNode;

/** Every node type, in the order an editor's palette may list them. */
export const NODE_TYPES = [
  'play',
  'menu',
  'data',
  'hours',
  'queue',
  'callback',
  'voicemail',
  'hangup',
] as const satisfies readonly FlowNode['type'][];

export interface FlowGraph {
  entry: NodeId;
  nodes: FlowNode[];
}

export interface FlowReferences {
  prompts: ReadonlySet<string>;
  queues: ReadonlySet<string>;
  /** Business-hours schedule names (`hours` nodes). */
  schedules: ReadonlySet<string>;
}

export interface FlowProblem {
  /** Where in the flow: `nodes[3].choices[1].next`, `entry`. */
  path: string;
  message: string;
}

export interface FlowCheck {
  errors: FlowProblem[];
  /** Not fatal: a node nothing leads to. */
  warnings: FlowProblem[];
}

export const DTMF_KEYS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#'] as const;

/** The node ids a node can lead to, with the path of the field that names each one. */
export function successors(node: FlowNode, base: string): { path: string; target: NodeId }[] {
  switch (node.type) {
    case 'play':
      return [{ path: `${base}.next`, target: node.next }];
    case 'menu':
      return [
        ...node.choices.map((c, i) => ({ path: `${base}.choices[${i}].next`, target: c.next })),
        { path: `${base}.default`, target: node.default },
      ];
    case 'data':
      return [
        { path: `${base}.next`, target: node.next },
        { path: `${base}.notFound`, target: node.notFound },
      ];
    case 'hours':
      return [
        { path: `${base}.open`, target: node.open },
        { path: `${base}.closed`, target: node.closed },
      ];
    case 'queue':
    case 'hangup':
    case 'voicemail':
    case 'callback':
      return [];
  }
}

/** The queue a node names, with the path of its field (queue, callback, voicemail nodes). */
export function queueOf(node: FlowNode, base = ''): { path: string; name: string } | undefined {
  switch (node.type) {
    case 'queue':
    case 'callback':
      return { path: `${base}.queue`, name: node.queue };
    case 'voicemail':
      return node.queue === undefined ? undefined : { path: `${base}.queue`, name: node.queue };
    default:
      return undefined;
  }
}

/** The prompts a node names, with the path of each field. */
export function promptsOf(node: FlowNode, base = ''): { path: string; name: string }[] {
  const named: { path: string; name: string | undefined }[] = [];
  switch (node.type) {
    case 'play':
      named.push({ path: `${base}.prompt`, name: node.prompt });
      break;
    case 'menu':
      named.push(
        { path: `${base}.prompt`, name: node.prompt },
        { path: `${base}.invalidPrompt`, name: node.invalidPrompt },
        { path: `${base}.noInputPrompt`, name: node.noInputPrompt },
      );
      break;
    case 'hangup':
    case 'data':
    case 'voicemail':
    case 'callback':
      named.push({ path: `${base}.prompt`, name: node.prompt });
      break;
    case 'queue':
    case 'hours':
      break;
  }
  return named.filter((p): p is { path: string; name: string } => p.name !== undefined);
}

/**
 * Checks what a schema cannot: every reference resolves (nodes, prompts, queues, schedules), menu keys are unique,
 * and the caller can never loop forever without being asked for input.
 */
export function checkFlow(flow: FlowGraph, refs: FlowReferences): FlowCheck {
  const errors: FlowProblem[] = [];
  const warnings: FlowProblem[] = [];
  const index = new Map<NodeId, number>();

  flow.nodes.forEach((node, i) => {
    if (index.has(node.id)) {
      errors.push({ path: `nodes[${i}].id`, message: `duplicate node id "${node.id}"` });
    } else {
      index.set(node.id, i);
    }
  });
  if (!index.has(flow.entry)) {
    errors.push({ path: 'entry', message: `entry node "${flow.entry}" does not exist` });
  }

  flow.nodes.forEach((node, i) => {
    const base = `nodes[${i}]`;
    for (const { path, target } of successors(node, base)) {
      if (!index.has(target)) errors.push({ path, message: `node "${target}" does not exist` });
    }
    for (const { path, name } of promptsOf(node, base)) {
      if (!refs.prompts.has(name)) errors.push({ path, message: `prompt "${name}" does not exist` });
    }
    const queue = queueOf(node, base);
    if (queue !== undefined && !refs.queues.has(queue.name)) {
      errors.push({ path: queue.path, message: `queue "${queue.name}" does not exist` });
    }
    if (node.type === 'hours' && !refs.schedules.has(node.schedule)) {
      errors.push({ path: `${base}.schedule`, message: `schedule "${node.schedule}" does not exist` });
    }
    if (node.type === 'menu') {
      const seen = new Set<string>();
      node.choices.forEach((choice, c) => {
        if (!(DTMF_KEYS as readonly string[]).includes(choice.key)) {
          errors.push({ path: `${base}.choices[${c}].key`, message: `"${choice.key}" is not a DTMF key` });
        } else if (seen.has(choice.key)) {
          errors.push({ path: `${base}.choices[${c}].key`, message: `key "${choice.key}" is used twice` });
        }
        seen.add(choice.key);
      });
      if (node.choices.length === 0) {
        errors.push({ path: `${base}.choices`, message: 'a menu needs at least one choice' });
      }
    }
  });

  // The remaining checks walk the graph and only make sense once every reference resolves.
  if (errors.length > 0) return { errors, warnings };

  const reachable = new Set<NodeId>();
  const stack = [flow.entry];
  while (stack.length > 0) {
    const id = stack.pop() as NodeId;
    if (reachable.has(id)) continue;
    reachable.add(id);
    const node = flow.nodes[index.get(id) as number] as FlowNode;
    for (const { target } of successors(node, '')) stack.push(target);
  }
  flow.nodes.forEach((node, i) => {
    if (!reachable.has(node.id)) {
      warnings.push({ path: `nodes[${i}]`, message: `node "${node.id}" cannot be reached from the entry` });
    }
  });

  const loop = findLoopWithoutInput(flow, index);
  if (loop !== null) {
    errors.push({
      path: `nodes[${index.get(loop[0] as NodeId) as number}]`,
      message: `nodes ${loop.map((id) => `"${id}"`).join(' -> ')} loop forever without asking the caller for input`,
    });
  }
  return { errors, warnings };
}

/**
 * A cycle through a menu is fine (the caller chooses to go round), but a cycle of play/data/hours nodes
 * only would replay prompts forever. Menus are removed from the graph and any remaining cycle is reported.
 */
function findLoopWithoutInput(flow: FlowGraph, index: Map<NodeId, number>): NodeId[] | null {
  const WHITE = 0;
  const GREY = 1;
  const BLACK = 2;
  const colour = new Map<NodeId, number>();
  const nodeOf = (id: NodeId): FlowNode => flow.nodes[index.get(id) as number] as FlowNode;

  const visit = (id: NodeId, trail: NodeId[]): NodeId[] | null => {
    colour.set(id, GREY);
    trail.push(id);
    for (const { target } of successors(nodeOf(id), '')) {
      if (nodeOf(target).type === 'menu') continue;
      const state = colour.get(target) ?? WHITE;
      if (state === GREY) return [...trail.slice(trail.indexOf(target)), target];
      if (state === WHITE) {
        const found = visit(target, trail);
        if (found !== null) return found;
      }
    }
    trail.pop();
    colour.set(id, BLACK);
    return null;
  };

  for (const node of flow.nodes) {
    if (node.type === 'menu' || (colour.get(node.id) ?? WHITE) !== WHITE) continue;
    const found = visit(node.id, []);
    if (found !== null) return found;
  }
  return null;
}
