import type { TaskChannel } from '../domain/interface-a';
import { screenPopView, type ScreenPopView } from '../domain/screen-pop';
import { ApiError, fieldDetails } from './as-api';

/**
 * The AS's message routes for the inbox (as/plugins/messages): a task's thread, its attachments, the
 * agent's replies and the reply templates. Answers are read leniently into the types below: a field
 * the page does not know is ignored, a missing one gets a neutral value.
 */

export interface AttachmentMeta {
  fileId: string;
  name: string;
  contentType: string;
  size: number;
}

export type MessageStatus = 'received' | 'queued' | 'sent' | 'failed';

export interface ThreadMessage {
  id: string;
  channel: TaskChannel;
  direction: 'inbound' | 'outbound';
  from: string;
  to: string[];
  cc: string[];
  subject?: string;
  text?: string;
  /** Raw as received: sanitised in the page before display. */
  html?: string;
  attachments: AttachmentMeta[];
  /** A fax's page count. */
  pages?: number;
  status: MessageStatus;
  statusReason?: string;
  /** ms epoch */
  createdAt: number;
  sentAt?: number;
}

export interface ReplyTemplate {
  id: string;
  name: string;
  channel: string;
  text: string;
}

export interface ReplyInput {
  text: string;
  html?: string;
  templateId?: string;
  files: readonly File[];
}

type Loose = Record<string, unknown>;
const obj = (v: unknown): Loose => (typeof v === 'object' && v !== null ? (v as Loose) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const strs = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];
const time = (v: unknown): number | undefined => {
  const t = typeof v === 'string' ? Date.parse(v) : typeof v === 'number' ? v : Number.NaN;
  return Number.isFinite(t) ? t : undefined;
};
const CHANNELS = new Set<string>(['email', 'sms', 'fax']);
const STATUSES = new Set<string>(['received', 'queued', 'sent', 'failed']);

function attachment(raw: unknown): AttachmentMeta | undefined {
  const a = obj(raw);
  const fileId = str(a.fileId) ?? str(a.id);
  if (fileId === undefined || fileId === '') return undefined;
  const size = typeof a.size === 'number' && a.size >= 0 ? a.size : 0;
  return {
    fileId,
    name: str(a.name) ?? str(a.filename) ?? fileId,
    contentType: str(a.contentType) ?? 'application/octet-stream',
    size,
  };
}

export function parseMessage(raw: unknown): ThreadMessage | undefined {
  const m = obj(raw);
  const id = str(m.id) ?? str(m._id);
  if (id === undefined) return undefined;
  const channel = str(m.channel) ?? '';
  const status = str(m.status) ?? '';
  const pages = typeof m.pages === 'number' && Number.isInteger(m.pages) ? m.pages : undefined;
  const sentAt = time(m.sentAt);
  return {
    id,
    channel: (CHANNELS.has(channel) ? channel : 'email') as TaskChannel,
    direction: m.direction === 'outbound' ? 'outbound' : 'inbound',
    from: str(m.from) ?? '',
    to: strs(m.to),
    cc: strs(m.cc),
    ...(str(m.subject) === undefined ? {} : { subject: str(m.subject) }),
    ...(str(m.text) === undefined ? {} : { text: str(m.text) }),
    ...(str(m.html) === undefined || m.html === '' ? {} : { html: str(m.html) }),
    attachments: (Array.isArray(m.attachments) ? m.attachments : []).flatMap((a) => attachment(a) ?? []),
    ...(pages === undefined ? {} : { pages }),
    status: (STATUSES.has(status) ? status : 'received') as MessageStatus,
    ...(str(m.statusReason) === undefined ? {} : { statusReason: str(m.statusReason) }),
    createdAt: time(m.createdAt) ?? 0,
    ...(sentAt === undefined ? {} : { sentAt }),
  };
}

/** A thread answer: a list of messages, or an object holding one (`messages`, `items`). */
export function parseThread(raw: unknown): ThreadMessage[] {
  const list = Array.isArray(raw) ? raw : (obj(raw).messages ?? obj(raw).items);
  const out = (Array.isArray(list) ? list : []).flatMap((m) => parseMessage(m) ?? []);
  // Oldest first, whatever order the answer had.
  return out.sort((a, b) => a.createdAt - b.createdAt);
}

export function parseTemplates(raw: unknown): ReplyTemplate[] {
  const list = Array.isArray(raw) ? raw : (obj(raw).templates ?? obj(raw).items);
  return (Array.isArray(list) ? list : []).flatMap((t) => {
    const o = obj(t);
    const id = str(o.id) ?? str(o._id);
    const name = str(o.name);
    const text = str(o.text);
    if (id === undefined || name === undefined || text === undefined) return [];
    return [{ id, name, channel: str(o.channel) ?? '', text }];
  });
}

type Fetch = typeof fetch;

export class MessagesApi {
  constructor(
    /** The signed-in agent's bearer token (undefined: signed out). */
    private readonly token: () => string | undefined,
    private readonly base = '/api/v1',
    private readonly fetchImpl: Fetch = (...a) => fetch(...a),
  ) {}

  private async send(method: string, path: string, body?: FormData): Promise<Response> {
    const headers: Record<string, string> = {};
    const token = this.token();
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    let res: Response;
    try {
      res = await this.fetchImpl(this.base + path, {
        method,
        headers,
        cache: 'no-store',
        ...(body === undefined ? {} : { body }),
      });
    } catch (err) {
      throw new ApiError(0, err instanceof Error ? err.message : String(err));
    }
    if (!res.ok) {
      let data: unknown;
      try {
        data = JSON.parse(await res.text());
      } catch {
        // not JSON: the status says enough
      }
      const message = str(obj(data).message) ?? res.statusText;
      throw new ApiError(res.status, message, undefined, fieldDetails(data));
    }
    return res;
  }

  private async json(path: string): Promise<unknown> {
    const res = await this.send('GET', path);
    const text = await res.text();
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  }

  async thread(contactId: string): Promise<ThreadMessage[]> {
    return parseThread(await this.json(`/interactions/${encodeURIComponent(contactId)}/messages`));
  }

  /** The file's bytes (the route wants the token: a plain link could not send it). */
  async attachment(fileId: string): Promise<Blob> {
    const res = await this.send('GET', `/attachments/${encodeURIComponent(fileId)}`);
    return res.blob();
  }

  /** Sends the agent's reply; the AS answers 202 with the outbound message (status `queued`). */
  async reply(contactId: string, input: ReplyInput): Promise<ThreadMessage | undefined> {
    const form = new FormData();
    form.append('text', input.text);
    if (input.html !== undefined) form.append('html', input.html);
    if (input.templateId !== undefined) form.append('templateId', input.templateId);
    for (const f of input.files) form.append('files', f, f.name);
    const res = await this.send('POST', `/interactions/${encodeURIComponent(contactId)}/replies`, form);
    const text = await res.text();
    return text === '' ? undefined : parseMessage(JSON.parse(text));
  }

  async templates(channel: TaskChannel): Promise<ReplyTemplate[]> {
    return parseTemplates(await this.json(`/reply-templates?channel=${encodeURIComponent(channel)}`));
  }

  /** The task's customer and that customer's earlier contacts (the screen pop a call gets too). */
  async screenPop(contactId: string): Promise<ScreenPopView> {
    return screenPopView(await this.json(`/screen-pop/${encodeURIComponent(contactId)}`));
  }

  /** The agent's profile (GET /me): its capacity per channel and in total. */
  async profile(): Promise<unknown> {
    return this.json('/me');
  }
}
