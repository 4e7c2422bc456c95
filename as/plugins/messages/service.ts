import { randomUUID } from 'node:crypto';
import { EXCHANGES } from '../../../lib/bus/topology';
import { makeMessage } from '../../../lib/messages';
import { AppError, ConflictError, InvalidError, NotFoundError } from '../../errors';
import type { Caller } from '../../http/credentials';
import { Interaction } from '../../models';
import { Message, type MessageData } from '../../models/message';
import { ReplyTemplate } from '../../models/reply-template';
import type { CommandOutbox } from '../../outbox/commands';
import { accessOf, loadReadableContact, type ContactRecord } from './access';
import { fileIdText, findFile, openFile, removeFiles, storeFile } from './attachments';
import { checkSmsText, emailReplyHeaders, lastInbound, replyPath, type ThreadMessage } from './compose';

/** The routing key of ISAG's reply queue (`cc.isag.replies`) on `cc.commands`. */
export const REPLY_ROUTING_KEY = 'isag.reply';

export type StoredMessage = MessageData & { _id: string };

/** A file part of a reply as hapi wrote it to disk. */
export interface ReplyFile {
  filename: string;
  path: string;
  bytes: number;
  headers: Record<string, string>;
}

export interface ReplyInput {
  text?: string;
  html?: string;
  subject?: string;
  templateId?: string;
  files: ReplyFile[];
}

/** A channel that takes no replies (fax): answered 405 at the edge. */
export class NoRepliesError extends AppError {
  constructor(readonly channel: string) {
    super('invalid', `${channel} contacts take no replies`);
  }
}

export function present(m: StoredMessage) {
  const { _id, attachments, ...rest } = m;
  return {
    id: _id,
    ...rest,
    attachments: (attachments ?? []).map((a) => ({ ...a, fileId: fileIdText(a.fileId) })),
  };
}

/** A file name as it goes into a header: its last path segment, no control characters, bounded. */
function safeFileName(name: string): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  const base = (name.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001f\u007f"]/g, '').trim();
  return base === '' ? 'attachment' : base.slice(0, 255);
}

const TYPE_TOKEN = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/i;

/** The part's declared type when it is a plain `type/subtype`; anything else is served as bytes. */
function safeContentType(declared: string | undefined): string {
  const type = (declared ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return TYPE_TOKEN.test(type) ? type : 'application/octet-stream';
}

/**
 * The messages of a contact: the thread an agent reads, its attachments, and the agent's replies, which
 * are stored `queued` and handed to ISAG as a `SendReply` command through the command outbox.
 */
export class MessageService {
  constructor(private readonly commands: CommandOutbox) {}

  async thread(id: string, caller: Caller) {
    await loadReadableContact(id, caller);
    return (await this.load(id)).map(present);
  }

  /** The file and its stream, if the caller may read the contact it belongs to; 404 otherwise. */
  async attachment(fileId: string, caller: Caller) {
    const file = await findFile(fileId);
    if (file === null || file.interactionId === undefined) throw new NotFoundError('attachment');
    const contact = await Interaction.findById(file.interactionId).lean<ContactRecord>();
    if (contact === null || (await accessOf(contact, caller)) === null) throw new NotFoundError('attachment');
    return { file, stream: openFile(file.id) };
  }

  async reply(id: string, input: ReplyInput, caller: Caller) {
    const contact = await loadReadableContact(id, caller);
    if (contact.agentId !== caller.id) {
      throw new AppError('forbidden', 'only the agent holding this contact may reply');
    }
    const channel = contact.channel;
    if (channel !== 'email' && channel !== 'sms') throw new NoRepliesError(channel);
    const thread = await this.load(id);
    const parent = lastInbound(thread as ThreadMessage[]);
    const text = await this.textOf(input, channel);
    const messageId = randomUUID();
    const base = {
      _id: messageId,
      interactionId: id,
      channel,
      direction: 'outbound' as const,
      // The queue's address or number the customer wrote to (ISAG sets it on the contact).
      from: contact.to,
      status: 'queued' as const,
      via: replyPath(channel, parent),
      ...(parent?.provider ? { provider: parent.provider } : {}),
      createdAt: new Date(),
      agentId: caller.id,
    };
    let doc: Record<string, unknown>;
    const stored: unknown[] = [];
    if (channel === 'sms') {
      if (input.html !== undefined || input.subject !== undefined || input.files.length > 0) {
        throw new InvalidError('an SMS reply is text only: no subject, HTML or files');
      }
      checkSmsText(text);
      const number = parent?.from ?? contact.from;
      if (await optedOut(number)) {
        throw new ConflictError(`${number} opted out of SMS: no message can be sent to it`);
      }
      doc = { ...base, to: [number], text, attachments: [] };
    } else {
      if (text === '' && input.html === undefined) {
        throw new InvalidError('a reply needs text or HTML', [{ path: 'text', message: 'required' }]);
      }
      const headers = emailReplyHeaders(thread, contact.from, input.subject);
      const attachments = [];
      try {
        for (const f of input.files) {
          const name = safeFileName(f.filename);
          const contentType = safeContentType(f.headers['content-type']);
          const fileId = await storeFile(f.path, name, contentType, { interactionId: id, messageId });
          stored.push(fileId);
          attachments.push({ fileId: fileId.toHexString(), name, contentType, size: f.bytes });
        }
      } catch (err) {
        await removeFiles(stored);
        throw err;
      }
      doc = {
        ...base,
        ...headers,
        ...(text === '' ? {} : { text }),
        ...(input.html === undefined ? {} : { html: input.html }),
        attachments,
      };
    }
    const command = makeMessage<'SendReply'>(this.commands.source, {
      type: 'SendReply',
      contactId: id,
      messageId,
    });
    try {
      await this.commands.send(
        { exchange: EXCHANGES.commands, routingKey: REPLY_ROUTING_KEY, message: command },
        // The message last: once it exists the command will be carried out, so a failure before it
        // leaves at most a timeline entry, never a reply sent while the agent was told it failed.
        async () => {
          await Interaction.updateOne(
            { _id: id },
            {
              $push: {
                timeline: { at: base.createdAt, type: 'ReplyQueued', data: { messageId, by: caller.id } },
              },
            },
          );
          await Message.create(doc);
        },
      );
    } catch (err) {
      await removeFiles(stored);
      throw err;
    }
    return present((await Message.findById(messageId).lean<StoredMessage>()) as StoredMessage);
  }

  private async load(interactionId: string): Promise<StoredMessage[]> {
    return Message.find({ interactionId }).sort({ createdAt: 1, _id: 1 }).lean<StoredMessage[]>();
  }

  /** The reply's text: the agent's, else the template's (which must be of the contact's channel). */
  private async textOf(input: ReplyInput, channel: 'email' | 'sms'): Promise<string> {
    if (input.text !== undefined && input.text !== '') return input.text;
    if (input.templateId === undefined) return '';
    const template = await ReplyTemplate.findById(input.templateId).lean();
    if (template === null || template.channel !== channel) {
      const message = `no ${channel} reply template ${input.templateId}`;
      throw new InvalidError(message, [{ path: 'templateId', message }]);
    }
    return template.text;
  }
}

async function optedOut(number: string): Promise<boolean> {
  const db = Message.db.db;
  if (db === undefined) throw new Error('the store is not connected');
  return (
    (await db.collection<{ _id: string }>('smsOptOuts').countDocuments({ _id: number }, { limit: 1 })) > 0
  );
}
