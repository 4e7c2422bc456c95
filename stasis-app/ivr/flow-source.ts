import { readdir } from 'node:fs/promises';
import { z } from 'zod';
import { checkFlow, type FlowGraph, type FlowNode, queueOf } from '../../lib/flow/flow';
import type { InterfaceD } from './interface-d';

/**
 * Flows for called numbers, from the AS over interface D, re-checked here before use: the shape with
 * zod (the AS answer is input like any other) and the graph with the AS's own `checkFlow`, against the
 * prompt files Asterisk can actually play. Queue names are the AS's business (it checked them on save).
 */
const key = z.string().min(1).max(1);
const nodeId = z.string().min(1).max(64);
const prompt = z.string().min(1).max(64);
const queueName = z.string().min(1).max(64);
const node = z.discriminatedUnion('type', [
  z.object({ id: nodeId, type: z.literal('play'), prompt, next: nodeId }),
  z.object({
    id: nodeId,
    type: z.literal('menu'),
    prompt,
    choices: z.array(z.object({ key, next: nodeId })).max(12),
    invalidPrompt: prompt.optional(),
    noInputPrompt: prompt.optional(),
    timeoutSec: z.number().min(1).max(60),
    maxRetries: z.number().int().min(0).max(10),
    default: nodeId,
  }),
  z.object({ id: nodeId, type: z.literal('queue'), queue: queueName }),
  z.object({ id: nodeId, type: z.literal('hangup'), prompt: prompt.optional() }),
  z.object({
    id: nodeId,
    type: z.literal('data'),
    field: z.string().min(1).max(64),
    prompt: prompt.optional(),
    next: nodeId,
    notFound: nodeId,
  }),
  z.object({
    id: nodeId,
    type: z.literal('voicemail'),
    prompt: prompt.optional(),
    queue: queueName.optional(),
  }),
  z.object({ id: nodeId, type: z.literal('callback'), queue: queueName, prompt: prompt.optional() }),
  z.object({ id: nodeId, type: z.literal('hours'), schedule: queueName, open: nodeId, closed: nodeId }),
]);
const flowAnswer = z.object({
  id: z.string().optional(),
  name: z.string().optional(),
  entry: nodeId,
  nodes: z.array(node).min(1).max(500),
});

export interface LoadedFlow {
  id?: string;
  name: string;
  graph: FlowGraph;
}

export class FlowInvalid extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FlowInvalid';
  }
}

/** The graph check of a flow answer; throws FlowInvalid with every problem. */
export function validateFlow(raw: unknown, prompts: ReadonlySet<string>): LoadedFlow {
  const parsed = flowAnswer.safeParse(raw);
  if (!parsed.success) throw new FlowInvalid(z.prettifyError(parsed.error).replace(/\n/g, '; '));
  const nodes = parsed.data.nodes as FlowNode[];
  const graph: FlowGraph = { entry: parsed.data.entry, nodes };
  // Queue and schedule names are the AS's business (it checked them on save); only prompts are local.
  const queues = new Set(nodes.flatMap((n) => queueOf(n)?.name ?? []));
  const schedules = new Set(nodes.flatMap((n) => (n.type === 'hours' ? [n.schedule] : [])));
  const check = checkFlow(graph, { prompts, queues, schedules });
  if (check.errors.length > 0) {
    throw new FlowInvalid(check.errors.map((e) => `${e.path}: ${e.message}`).join('; '));
  }
  const loaded: LoadedFlow = { name: parsed.data.name ?? parsed.data.entry, graph };
  if (parsed.data.id !== undefined) loaded.id = parsed.data.id;
  return loaded;
}

/**
 * Prompt names with an audio file in Asterisk's prompt directory, re-read at most every `ttlMs`, or at
 * once when asked for a `fresh` list (a flow names a prompt the cached list lacks).
 */
export function promptCatalog(dir: string, ttlMs = 60_000, now: () => number = Date.now) {
  let cached: { at: number; names: Set<string> } | undefined;
  return async (fresh = false): Promise<Set<string>> => {
    if (!fresh && cached !== undefined && now() - cached.at < ttlMs) return cached.names;
    const files = await readdir(dir);
    const names = new Set(files.filter((f) => f.endsWith('.ulaw')).map((f) => f.slice(0, -'.ulaw'.length)));
    cached = { at: now(), names };
    return names;
  };
}

/**
 * Loads, checks and caches flows by called number; concurrent calls for one number share one request.
 * While the AS cannot be reached, a number keeps the last flow it answered with (even after the TTL or
 * a flow-change event): an AS restart must not send callers to the default flow.
 */
export class FlowSource {
  private readonly cache = new Map<string, { at: number; flow: Promise<LoadedFlow | null> }>();
  /** Only flows the AS answered with, so its size is bounded by the configured flows, not by callers. */
  private readonly lastGood = new Map<string, LoadedFlow>();

  constructor(
    private readonly get: InterfaceD,
    /** `fresh`: read the directory now (a flow names a prompt the cached list lacks: just uploaded?). */
    private readonly prompts: (fresh?: boolean) => Promise<ReadonlySet<string>>,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The flow for a called number, null when the AS has none; throws FlowInvalid or on an AS failure. */
  load(calledNumber: string): Promise<LoadedFlow | null> {
    const at = this.now();
    for (const [k, v] of this.cache) if (at - v.at >= this.ttlMs) this.cache.delete(k);
    const hit = this.cache.get(calledNumber);
    if (hit !== undefined) return hit.flow;
    const flow = this.fetch(calledNumber);
    this.cache.set(calledNumber, { at, flow });
    // A failure is not cached: the next call asks the AS again.
    flow.catch(() => this.cache.delete(calledNumber));
    return flow;
  }

  get size(): number {
    return this.cache.size;
  }

  /**
   * A flow editor's test call: the draft the AS copied for it (interface D), checked like any flow;
   * not cached (one call reads it once), null when the AS has no such test call (expired).
   */
  async loadTestCall(testCallId: string): Promise<LoadedFlow | null> {
    const raw = await this.get(`/ivr/test-calls/${encodeURIComponent(testCallId)}`);
    if (raw === undefined) return null;
    try {
      return validateFlow(raw, await this.prompts());
    } catch (err) {
      if (!(err instanceof FlowInvalid)) throw err;
      return validateFlow(raw, await this.prompts(true));
    }
  }

  /** An administrator changed a flow: every call from now on loads the flow again from the AS. */
  clear(): void {
    this.cache.clear();
  }

  private async fetch(calledNumber: string): Promise<LoadedFlow | null> {
    let raw: unknown;
    try {
      raw = await this.get(`/ivr/flows/${encodeURIComponent(calledNumber)}`);
    } catch (err) {
      const stale = this.lastGood.get(calledNumber);
      if (stale !== undefined) return stale;
      throw err;
    }
    if (raw === undefined) {
      this.lastGood.delete(calledNumber);
      return null;
    }
    let flow: LoadedFlow;
    try {
      flow = validateFlow(raw, await this.prompts());
    } catch (err) {
      // A prompt uploaded through the AS since the list was read is in the directory already.
      if (!(err instanceof FlowInvalid)) throw err;
      flow = validateFlow(raw, await this.prompts(true));
    }
    this.lastGood.set(calledNumber, flow);
    return flow;
  }
}
