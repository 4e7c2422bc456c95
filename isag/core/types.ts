/**
 * The store's documents as ISAG writes them (docs/isag.md; the contract of issue 14). The AS reads the
 * same collections through mongoose; nothing here imports an adapter.
 */
export type TaskChannel = 'email' | 'sms' | 'fax';
/** The path a message came in or goes out. */
export type Via = 'webhook' | 'sip' | 'smtp' | 'fax';
export type MessageStatus = 'received' | 'queued' | 'sent' | 'failed';

export interface AttachmentRef {
  /** The GridFS file's id (hex of its ObjectId) in the `attachments` bucket. */
  fileId: string;
  name: string;
  contentType: string;
  size: number;
}

export interface MessageDoc {
  _id: string;
  interactionId: string;
  channel: TaskChannel;
  direction: 'inbound' | 'outbound';
  from: string;
  to: string[];
  cc?: string[];
  subject?: string;
  text?: string;
  html?: string;
  /** RFC 5322 Message-ID (e-mail), without angle brackets. */
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  attachments: AttachmentRef[];
  pages?: number;
  status: MessageStatus;
  statusReason?: string;
  via?: Via;
  provider?: string;
  createdAt: Date;
  sentAt?: Date;
  agentId?: string;
  /**
   * Set once the receipt's outbox record is written (its commit point): an inbound message without it,
   * and with no outbox record naming it, was left by a receipt that died before that point.
   */
  committed?: boolean;
}

/** An inbound message already stored under the same Message-ID and sender (intake's duplicate check). */
export interface EarlierReceipt {
  id: string;
  interactionId: string;
  committed: boolean;
  createdAt: Date;
  fileIds: string[];
}

/** The interaction of a new task, as ISAG creates it; CTI writes its state from then on. */
export interface InteractionDoc {
  _id: string;
  channel: TaskChannel;
  direction: 'inbound';
  from: string;
  to: string;
  queueId: string;
  state: 'received';
  createdAt: Date;
  subject?: string;
  customerId?: string;
  /** The completed interaction this one continues (a customer's reply after the task was done). */
  previous?: string;
  timeline: Array<{ at: Date; type: string; data?: Record<string, unknown> }>;
}

export interface QuarantineDoc {
  _id: string;
  channel: TaskChannel;
  receivedAt: Date;
  reason: string;
  from?: string;
  to?: string[];
  size: number;
  /** The first 64 kB of what arrived, for an operator to see what it was. */
  raw?: Buffer;
}

export type OutboxKind = 'TaskCreated' | 'TaskUpdated';

export interface OutboxDoc {
  _id: string;
  kind: OutboxKind;
  /** The bus message as it is published (JSON object). */
  message: Record<string, unknown>;
  createdAt: Date;
  sentAt?: Date;
}

/** An attachment as a channel adapter hands it to the core: bytes, never decompressed or inspected. */
export interface InboundAttachment {
  name: string;
  contentType: string;
  content: Buffer;
}

/** How the core decides whether a message continues an interaction. */
export type Threading =
  /** e-mail: In-Reply-To / References name a stored message. */
  | { kind: 'references'; ids: string[] }
  /** SMS: the sender's open conversation on this channel. */
  | { kind: 'sender' }
  /** fax: always a new task. */
  | { kind: 'none' };

/** One inbound message from any channel adapter, already parsed. */
export interface Inbound {
  channel: TaskChannel;
  via: Via;
  provider?: string;
  from: string;
  /** The addresses or numbers it was sent to, in order: the first with a queue decides the queue. */
  to: string[];
  cc?: string[];
  subject?: string;
  text?: string;
  html?: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  attachments: InboundAttachment[];
  pages?: number;
  threading: Threading;
  /** The raw bytes' size, and the raw bytes (for a quarantine entry). */
  size: number;
  raw?: Buffer;
}

/** What became of an inbound message; every outcome except `failed` means it is stored. */
export type IntakeResult =
  | { kind: 'created'; interactionId: string; messageId: string; queueId: string }
  | { kind: 'joined'; interactionId: string; messageId: string }
  | { kind: 'duplicate'; interactionId: string; messageId: string }
  | { kind: 'quarantined'; quarantineId: string; reason: string };
