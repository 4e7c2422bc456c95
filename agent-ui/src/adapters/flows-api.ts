import { ApiError, type AsApi } from './as-api';
import type { FlowCheck, FlowGraph, FlowProblem, NodePosition } from '../domain/flow-graph';

/** as/models/ivr-flow.ts as the AS answers it. */
export interface Flow extends FlowGraph {
  id: string;
  name: string;
  calledNumber: string;
  media: 'audio' | 'video';
  layout?: NodePosition[];
  /** false: never published, the IVR does not see it. */
  published?: boolean;
  publishedVersion?: number;
  draft?: FlowGraph & { layout?: NodePosition[]; updatedAt: string; updatedBy: string };
}

export interface FlowVersion {
  version: number;
  publishedAt: string;
  publishedBy: string;
  nodeCount: number;
  live: boolean;
}

/** POST /ivr-flows/{id}/test-call: the contact the call becomes once answered. */
export interface TestCallStarted {
  testCallId: string;
  contactId: string;
  endpoint: string;
  calledNumber: string;
}

export interface NewFlow {
  name: string;
  calledNumber: string;
  media: 'audio' | 'video';
}

/** A save or publish the AS refused because of the graph: every problem with its path. */
export class FlowRefused extends Error {
  constructor(
    message: string,
    readonly problems: FlowProblem[],
  ) {
    super(message);
    this.name = 'FlowRefused';
  }
}

/** The problems of a 400: the AS's `details` when the client kept them, else the message's own path. */
function refusal(err: unknown): never {
  if (err instanceof ApiError && err.status === 400) {
    const details = (err as ApiError & { details?: unknown }).details;
    const problems = Array.isArray(details)
      ? (details as FlowProblem[])
      : [{ path: /(nodes\[\d+\][\w.[\]]*)/.exec(err.message)?.[1] ?? '', message: err.message }];
    throw new FlowRefused(err.message, problems);
  }
  throw err;
}

const base = (id: string) => `/api/v1/ivr-flows/${encodeURIComponent(id)}`;

/** The AS's IVR flow API (as/plugins/admin/flows/) for the flow editor. */
export class FlowsApi {
  constructor(private readonly api: AsApi) {}

  list(): Promise<Flow[]> {
    return this.api.request('GET', '/api/v1/ivr-flows');
  }

  get(id: string): Promise<Flow> {
    return this.api.request('GET', base(id));
  }

  /** A new flow starts as a draft: the IVR does not see it until it is published. */
  create(input: NewFlow, graph: FlowGraph): Promise<Flow> {
    return this.api
      .request<Flow>('POST', '/api/v1/ivr-flows', { ...input, ...graph, publish: false })
      .catch(refusal);
  }

  check(graph: FlowGraph): Promise<FlowCheck> {
    return this.api
      .request<FlowCheck>('POST', '/api/v1/ivr-flows/check', { entry: graph.entry, nodes: graph.nodes })
      .catch(refusal);
  }

  saveDraft(id: string, graph: FlowGraph, layout: NodePosition[]): Promise<Flow> {
    return this.api
      .request<Flow>('PUT', `${base(id)}/draft`, { entry: graph.entry, nodes: graph.nodes, layout })
      .catch(refusal);
  }

  publish(id: string): Promise<Flow> {
    return this.api.request<Flow>('POST', `${base(id)}/publish`).catch(refusal);
  }

  /** Drops the stored draft (the AS refuses it, 409, for a flow never published). */
  discardDraft(id: string): Promise<void> {
    return this.api.request<void>('DELETE', `${base(id)}/draft`);
  }

  /** Rings the caller's browser softphone into the stored draft; 400 (refused) if the draft is invalid. */
  testCall(id: string): Promise<TestCallStarted> {
    return this.api.request<TestCallStarted>('POST', `${base(id)}/test-call`).catch(refusal);
  }

  versions(id: string): Promise<FlowVersion[]> {
    return this.api.request('GET', `${base(id)}/versions`);
  }

  rollback(id: string, version: number): Promise<Flow> {
    return this.api.request<Flow>('POST', `${base(id)}/versions/${version}/rollback`).catch(refusal);
  }

  /** Names for the side panel's pickers. */
  async names(path: '/api/v1/prompts' | '/api/v1/queues' | '/api/v1/business-hours'): Promise<string[]> {
    try {
      const rows = await this.api.request<{ name: string }[] | { items: { name: string }[] }>('GET', path);
      const list = Array.isArray(rows) ? rows : rows.items;
      return list.map((r) => r.name).sort();
    } catch (err) {
      // A list the AS does not have (yet) leaves its picker empty rather than the editor unusable.
      if (err instanceof ApiError && err.status === 404) return [];
      throw err;
    }
  }
}
