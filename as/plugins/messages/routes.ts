import { rm } from 'node:fs/promises';
import Boom from '@hapi/boom';
import type { ServerRoute } from '@hapi/hapi';
import type Joi from 'joi';
import { InvalidError } from '../../errors';
import { callerOf } from '../../http/credentials';
import { tempFiles } from '../admin/prompts/upload-routes';
import { contactParams, fileParams, replyPayload, messageView, threadView, REPLY_MAX_FILES } from './schemas';
import { NoRepliesError, type MessageService, type ReplyFile, type ReplyInput } from './service';

const PEOPLE = ['agent', 'supervisor', 'admin'];
const WHO =
  'The agent holding the contact, its queue’s supervisors and administrators; anyone else gets 404.';

/** Largest attachment, and all of a reply's attachments together (bytes). */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_REPLY_FILES_BYTES = 25 * 1024 * 1024;
/** The body limit: the files plus text, HTML and the multipart framing. */
const MAX_REPLY_BODY = MAX_REPLY_FILES_BYTES + 3 * 1024 * 1024;

/** Types a browser could render or run in the AS's origin are served as plain bytes. */
const ACTIVE_TYPES =
  /^(text\/html|application\/xhtml\+xml|image\/svg\+xml|text\/xml|application\/xml|text\/javascript|application\/javascript)$/;

/** RFC 6266: an ASCII fallback and the UTF-8 name, neither able to end the header. */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  // RFC 5987's attr-char leaves out ' ( ) *, which encodeURIComponent keeps.
  const utf8 = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${utf8}`;
}

function replyInput(payload: unknown): ReplyInput {
  const checked: Joi.ValidationResult<Omit<ReplyInput, 'files'> & { files?: ReplyFile | ReplyFile[] }> =
    replyPayload.validate(payload ?? {}, { abortEarly: false });
  if (checked.error) {
    const details = checked.error.details.map((d) => ({ path: d.path.join('.'), message: d.message }));
    throw new InvalidError(checked.error.message, details);
  }
  const { files, ...fields } = checked.value;
  const list = files === undefined ? [] : Array.isArray(files) ? files : [files];
  const big = list.find((f) => f.bytes > MAX_FILE_BYTES);
  if (big !== undefined) {
    throw Boom.entityTooLarge(`${big.filename || 'a file'} is over ${MAX_FILE_BYTES / 1048576} MB`);
  }
  if (list.reduce((sum, f) => sum + f.bytes, 0) > MAX_REPLY_FILES_BYTES) {
    throw Boom.entityTooLarge(`a reply's files are at most ${MAX_REPLY_FILES_BYTES / 1048576} MB in all`);
  }
  return { ...fields, files: list };
}

export function messageRoutes(service: MessageService): ServerRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/v1/interactions/{id}/messages',
      options: {
        auth: { access: { scope: PEOPLE } },
        tags: ['api', 'messages'],
        description: "A contact's messages (e-mail, SMS, fax), oldest first, with attachment metadata",
        notes: WHO,
        validate: { params: contactParams },
        response: { schema: threadView, failAction: 'log' },
      },
      handler: async (request) => service.thread(request.params.id as string, callerOf(request)),
    },
    {
      method: 'GET',
      path: '/api/v1/attachments/{fileId}',
      options: {
        auth: { access: { scope: PEOPLE } },
        tags: ['api', 'messages'],
        description:
          'Download one attachment of a message: its bytes, always as a download, never shown inline',
        notes: `${WHO} The file's contact decides.`,
        validate: { params: fileParams },
      },
      handler: async (request, h) => {
        const { file, stream } = await service.attachment(request.params.fileId as string, callerOf(request));
        const type = ACTIVE_TYPES.test(file.contentType) ? 'application/octet-stream' : file.contentType;
        return h
          .response(stream)
          .type(type)
          .bytes(file.size)
          .header('Content-Disposition', contentDisposition(file.name))
          .header('X-Content-Type-Options', 'nosniff')
          .header('Content-Security-Policy', "default-src 'none'; sandbox");
      },
    },
    {
      method: 'POST',
      path: '/api/v1/interactions/{id}/replies',
      options: {
        auth: { access: { scope: ['agent'] } },
        tags: ['api', 'messages'],
        plugins: { 'ipcc-openapi': { errors: [405, 409] } },
        description: 'Reply to the customer of an e-mail or SMS contact (sent by ISAG; answered 202 queued)',
        notes:
          'Only the agent holding the contact (others: 404; its supervisors: 403). multipart/form-data: ' +
          `\`text\`, optional \`html\`, \`subject\`, \`templateId\`, \`files\` (at most ${REPLY_MAX_FILES}, ` +
          '10 MB each, 25 MB in all). E-mail goes to the customer with `Re:` and the threading headers of ' +
          'the last inbound message; SMS is text only, 1,600 characters at most, refused (409) to a number ' +
          'that opted out; fax contacts take no reply (405).',
        // Multipart only: a JSON body could describe a "file part" naming any path on this server.
        payload: {
          output: 'file',
          parse: true,
          multipart: { output: 'file' },
          allow: 'multipart/form-data',
          maxBytes: MAX_REPLY_BODY,
        },
        validate: { params: contactParams },
        response: { status: { 202: messageView }, failAction: 'log' },
        // hapi parses the body before the scope check: a refused request's files are removed here too.
        ext: {
          onPreResponse: {
            method: async (request, h) => {
              await Promise.all(tempFiles(request.payload).map((f) => rm(f, { force: true })));
              return h.continue;
            },
          },
        },
      },
      handler: async (request, h) => {
        try {
          const input = replyInput(request.payload);
          const made = await service.reply(request.params.id as string, input, callerOf(request));
          return h.response(made).code(202);
        } catch (err) {
          if (err instanceof NoRepliesError) throw Boom.methodNotAllowed(err.message);
          throw err;
        }
      },
    },
  ];
}
