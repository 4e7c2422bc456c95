import { ApiError, fieldDetails, type AsApi } from './as-api';

/**
 * The AS's administration API (as/plugins/admin/) as the console's administration pages use it: JSON
 * through the session's client (`AsApi.request`, bearer token), and the two calls JSON cannot carry
 * (a prompt's upload as multipart, a built prompt's media as bytes) through fetch with the same token.
 */

export const CHANNELS = ['voice', 'video', 'email', 'sms', 'fax'] as const;
export type Channel = (typeof CHANNELS)[number];
export const PERSON_ROLES = ['agent', 'supervisor', 'admin'] as const;
export type PersonRole = (typeof PERSON_ROLES)[number];

export interface Agent {
  id: string;
  login: string;
  displayName: string;
  roles: PersonRole[];
  skills: { name: string; level: number }[];
  endpoints?: { sip?: string; webrtc?: string };
  maxTasks?: Partial<Record<Channel, number>>;
  /** Contacts at once across channels (absent: the AS's default, 5). */
  maxTotal?: number;
  /** While on a call no task is offered (absent: true). */
  callBlocksTasks?: boolean;
  callerId?: { name?: string; number?: string };
  active: boolean;
  /** The queues a supervisor oversees (present once the AS's model has it). */
  supervises?: string[];
}
export type AgentInput = Partial<Omit<Agent, 'id'>> & { password?: string };

export const SELECTION_POLICIES = ['longest-idle', 'least-calls', 'skill-level'] as const;
export const TIMEOUT_ACTIONS = ['voicemail', 'callback', 'release'] as const;
/** A voice queue takes video calls too; the others hold ISAG's tasks. */
export const QUEUE_CHANNELS = ['voice', 'email', 'sms', 'fax'] as const;
export type QueueChannel = (typeof QUEUE_CHANNELS)[number];

/** as/models/queue.ts, as the API answers it. */
export interface Queue {
  id: string;
  name: string;
  /** Absent on a queue stored before queues had a channel: voice. */
  channel?: QueueChannel;
  /** The e-mail addresses, SMS or fax numbers whose contacts enter the queue. */
  addresses?: string[];
  skills: { name: string; minLevel: number }[];
  priority: number;
  selectionPolicy: (typeof SELECTION_POLICIES)[number];
  ringTimeoutSec: number;
  wrapUpSec: number;
  queueTimeoutSec: number;
  timeoutAction: (typeof TIMEOUT_ACTIONS)[number];
  fallbackQueue?: string;
  serviceLevelSec: number;
  media?: { music?: string; video?: string };
  recording: boolean;
}
export type QueueInput = Partial<Omit<Queue, 'id'>>;

/** Not-ready reasons and disposition codes share one shape: a name the systems use and a label people read. */
export interface Labelled {
  id: string;
  name: string;
  label: string;
}
export type LabelledKind = 'reasons' | 'dispositions';
const LABELLED_PATHS: Record<LabelledKind, string> = {
  reasons: '/api/v1/not-ready-reasons',
  dispositions: '/api/v1/disposition-codes',
};

export interface Prompt {
  id: string;
  name: string;
  description?: string;
  formats: string[];
}
export type PromptMediaKind = 'audio' | 'video';

export const AUDIT_ACTIONS = ['create', 'update', 'delete'] as const;
export interface AuditRow {
  id: string;
  at: string;
  actor: string;
  action: (typeof AUDIT_ACTIONS)[number];
  entity: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}
export interface AuditQuery {
  actor?: string;
  action?: string;
  /** ISO dates: from (inclusive) and to (exclusive). */
  from?: string;
  to?: string;
  limit: number;
  skip: number;
}

const id = (value: string) => encodeURIComponent(value);

export class AdminApi {
  constructor(
    private readonly api: AsApi,
    /** The current bearer token (the console session refreshes it). */
    private readonly token: () => string,
    private readonly fetchImpl: typeof fetch = (...a) => fetch(...a),
  ) {}

  agents = () => this.api.request<Agent[]>('GET', '/api/v1/agents');
  agent = (agentId: string) => this.api.request<Agent>('GET', `/api/v1/agents/${id(agentId)}`);
  createAgent = (input: AgentInput) => this.api.request<Agent>('POST', '/api/v1/agents', input);
  updateAgent = (agentId: string, input: AgentInput) =>
    this.api.request<Agent>('PATCH', `/api/v1/agents/${id(agentId)}`, input);

  queues = () => this.api.request<Queue[]>('GET', '/api/v1/queues');
  createQueue = (input: QueueInput) => this.api.request<Queue>('POST', '/api/v1/queues', input);
  /** A queue is addressed by its name, its identity (as/plugins/admin/queues/identity.ts). */
  updateQueue = (name: string, input: QueueInput) =>
    this.api.request<Queue>('PATCH', `/api/v1/queues/${id(name)}`, input);
  deleteQueue = (name: string) => this.api.request<void>('DELETE', `/api/v1/queues/${id(name)}`);

  labelled = (kind: LabelledKind) => this.api.request<Labelled[]>('GET', LABELLED_PATHS[kind]);
  createLabelled = (kind: LabelledKind, input: Omit<Labelled, 'id'>) =>
    this.api.request<Labelled>('POST', LABELLED_PATHS[kind], input);
  updateLabelled = (kind: LabelledKind, itemId: string, input: Partial<Omit<Labelled, 'id'>>) =>
    this.api.request<Labelled>('PATCH', `${LABELLED_PATHS[kind]}/${id(itemId)}`, input);
  deleteLabelled = (kind: LabelledKind, itemId: string) =>
    this.api.request<void>('DELETE', `${LABELLED_PATHS[kind]}/${id(itemId)}`);

  prompts = () => this.api.request<Prompt[]>('GET', '/api/v1/prompts');
  deletePrompt = (promptId: string) => this.api.request<void>('DELETE', `/api/v1/prompts/${id(promptId)}`);

  audit(query: AuditQuery): Promise<AuditRow[]> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== '') params.set(key, String(value));
    }
    return this.api.request<AuditRow[]>('GET', `/api/v1/audit-log?${params.toString()}`);
  }

  /** Uploads audio and/or video (fields `name`, `description`, `audio`, `video`); the AS builds and registers it. */
  async uploadPrompt(form: FormData): Promise<Prompt> {
    const res = await this.send('POST', '/api/v1/prompts/upload', form);
    return (await res.json()) as Prompt;
  }

  /** A built prompt as the browser can play it (the AS re-wraps Asterisk's files: WAV, WebM). */
  async promptMedia(promptId: string, kind: PromptMediaKind): Promise<Blob> {
    const res = await this.send('GET', `/api/v1/prompts/${id(promptId)}/media/${kind}`);
    return res.blob();
  }

  private async send(method: string, path: string, body?: FormData): Promise<Response> {
    let res: Response;
    try {
      res = await this.fetchImpl(path, {
        method,
        headers: { authorization: `Bearer ${this.token()}` },
        cache: 'no-store',
        ...(body === undefined ? {} : { body }),
      });
    } catch (err) {
      throw new ApiError(0, err instanceof Error ? err.message : String(err));
    }
    if (res.ok) return res;
    const data: unknown = await res.json().catch(() => undefined);
    const message = (data as { message?: unknown } | undefined)?.message;
    throw new ApiError(
      res.status,
      typeof message === 'string' ? message : res.statusText,
      undefined,
      fieldDetails(data),
    );
  }
}
