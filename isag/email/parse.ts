import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { bareMessageId, messageIdsIn, threadCandidates } from '../core/threading';
import type { Inbound, InboundAttachment } from '../core/types';
import { normalAddress } from './recipients';

/**
 * mailparser's options: a delivery-status part stays a part of its own (not text), an embedded message
 * stays an attachment (never parsed, so a message nested a thousand times costs nothing), `cid:` links
 * stay links (no data: URLs inlined into the HTML), no text-to-HTML conversion. Attachments are decoded
 * from their transfer encoding and nothing more: an archive stays the bytes it is.
 */
const PARSER_OPTIONS = {
  keepDeliveryStatus: true,
  ignoreEmbedded: true,
  keepCidLinks: true,
  skipImageLinks: true,
  skipTextToHtml: true,
  skipTextLinks: true,
  maxHtmlLengthToParse: 2 * 1024 * 1024,
  checksumAlgo: false,
} as const;

export function parseMail(raw: Buffer): Promise<ParsedMail> {
  return simpleParser(raw, PARSER_OPTIONS);
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  if (field === undefined) return [];
  const out: string[] = [];
  for (const obj of Array.isArray(field) ? field : [field]) {
    for (const a of obj.value) {
      if (a.address !== undefined && a.address !== '') out.push(normalAddress(a.address));
      for (const g of a.group ?? [])
        if (g.address !== undefined && g.address !== '') out.push(normalAddress(g.address));
    }
  }
  return out;
}

/** The sender's address (From, else Sender), or undefined. */
export function senderOf(mail: ParsedMail): string | undefined {
  const from = addresses(mail.from)[0];
  if (from !== undefined) return from;
  const sender = mail.headers.get('sender');
  if (sender !== undefined && typeof sender === 'object' && 'value' in sender)
    return addresses(sender as AddressObject)[0];
  return undefined;
}

/** A file name from the sender, as stored and shown: no control characters, no path, 255 characters. */
export function safeFileName(name: string | undefined, index: number): string {
  const clean = (name ?? '')
    // eslint-disable-next-line no-control-regex -- control characters are what is replaced
    .replace(/[\u0000-\u001f\u007f]/g, '_')
    .replace(/^.*[\\/]/, '')
    .trim();
  return clean === '' ? `attachment-${index + 1}` : clean.slice(0, 255);
}

export function attachmentsOf(mail: ParsedMail): InboundAttachment[] {
  return mail.attachments.map((a, i) => ({
    name: safeFileName(a.filename, i),
    contentType: /^[\w.+-]+\/[\w.+-]+$/.test(a.contentType)
      ? a.contentType.toLowerCase()
      : 'application/octet-stream',
    content: a.content,
  }));
}

/**
 * The channel-neutral message of one parsed e-mail. `recipients` are the envelope's accepted RCPT TO
 * addresses: they pick the queue (a Bcc reaches us that way). Message-IDs are stored without brackets.
 */
export function inboundEmail(mail: ParsedMail, from: string, recipients: string[], raw: Buffer): Inbound {
  const messageId = mail.messageId === undefined ? '' : bareMessageId(mail.messageId);
  const inReplyTo = messageIdsIn(mail.inReplyTo)[0];
  const references = messageIdsIn(mail.references);
  const cc = addresses(mail.cc);
  return {
    channel: 'email',
    via: 'smtp',
    from,
    to: recipients.map(normalAddress),
    ...(cc.length === 0 ? {} : { cc }),
    ...(mail.subject === undefined ? {} : { subject: mail.subject }),
    ...(mail.text === undefined ? {} : { text: mail.text }),
    ...(typeof mail.html === 'string' ? { html: mail.html } : {}),
    ...(messageId === '' ? {} : { messageId }),
    ...(inReplyTo === undefined ? {} : { inReplyTo }),
    ...(references.length === 0 ? {} : { references }),
    attachments: attachmentsOf(mail),
    threading: { kind: 'references', ids: threadCandidates(mail.inReplyTo, mail.references) },
    size: raw.length,
    raw,
  };
}
