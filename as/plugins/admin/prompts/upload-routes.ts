import { rm } from 'node:fs/promises';
import type { ServerRoute } from '@hapi/hapi';
import Joi from 'joi';
import { InvalidError } from '../../../errors';
import { callerOf } from '../../../http/credentials';
import { multilineText, name, objectId } from '../../../http/validation';
import type { PromptUploads, UploadInput } from './upload';

/** Largest upload body (all parts). */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

const filePart = Joi.object({
  filename: Joi.string().allow('').max(255).required(),
  path: Joi.string().required(),
  bytes: Joi.number().integer().min(1).required(),
  headers: Joi.object().unknown().required(),
}).messages({ 'object.base': '{{#label}} must be a file' });

const uploadPayload = Joi.object({
  name: name.required(),
  description: multilineText(500).allow(''),
  audio: filePart,
  video: filePart,
}).label('PromptUpload');

const mediaParams = Joi.object({
  id: objectId.required(),
  kind: Joi.string().valid('audio', 'video').required(),
});

/**
 * hapi's temporary files of a multipart body, whatever shape the body has: parts sharing a name arrive
 * as an array, so every array and object is walked. A file part is told by its numeric `bytes`, which no
 * text field can carry: a text field named `path` must not get a server file removed.
 */
export function tempFiles(payload: unknown): string[] {
  if (Array.isArray(payload)) return payload.flatMap(tempFiles);
  if (typeof payload !== 'object' || payload === null || Buffer.isBuffer(payload)) return [];
  const part = payload as { path?: unknown; bytes?: unknown };
  if (typeof part.path === 'string' && typeof part.bytes === 'number') return [part.path];
  return Object.values(payload as Record<string, unknown>).flatMap(tempFiles);
}

export function promptUploadRoutes(uploads: PromptUploads): ServerRoute[] {
  return [
    {
      method: 'POST',
      path: '/api/v1/prompts/upload',
      options: {
        auth: { access: { scope: ['admin'] } },
        tags: ['api', 'admin'],
        plugins: { 'ipcc-openapi': { success: 201, errors: [409] } },
        description:
          'Upload audio and/or video, build it into Asterisk formats and register the prompt (audited)',
        notes:
          'multipart/form-data: `name`, optional `description`, `audio` and/or `video` files (20 MB in all). ' +
          'The type each part declares and what ffprobe finds in it are both checked.',
        payload: {
          output: 'file',
          parse: true,
          multipart: { output: 'file' },
          allow: 'multipart/form-data',
          maxBytes: MAX_UPLOAD_BYTES,
        },
        // hapi parses the body before it checks the route's scope: a supervisor's refused upload (403)
        // never reaches the handler, and its files stayed in the temporary folder (32 KB a request).
        ext: {
          onPreResponse: {
            method: async (request, h) => {
              await Promise.all(tempFiles(request.payload).map((f) => rm(f, { force: true })));
              return h.continue;
            },
          },
        },
      },
      // Validated here rather than in `validate`: a refused body's temporary files must still be removed.
      handler: async (request, h) => {
        const files = tempFiles(request.payload);
        try {
          const checked: Joi.ValidationResult<UploadInput> = uploadPayload.validate(request.payload, {
            abortEarly: false,
          });
          if (checked.error) {
            const details = checked.error.details.map((d) => ({
              path: d.path.join('.'),
              message: d.message,
            }));
            throw new InvalidError(checked.error.message, details);
          }
          const input = checked.value;
          const made = await uploads.upload(
            {
              name: input.name,
              ...(input.description ? { description: input.description } : {}),
              ...(input.audio ? { audio: input.audio } : {}),
              ...(input.video ? { video: input.video } : {}),
            },
            callerOf(request),
          );
          return h.response(made).code(201);
        } finally {
          await Promise.all(files.map((f) => rm(f, { force: true })));
        }
      },
    },
    {
      method: 'GET',
      path: '/api/v1/prompts/{id}/media/{kind}',
      options: {
        auth: { access: { scope: ['supervisor', 'admin'] } },
        tags: ['api', 'admin'],
        description: 'A built prompt as a browser plays it: audio as WAV, video as WebM (VP8 + Opus)',
        validate: { params: mediaParams },
      },
      handler: async (request, h) => {
        const kind = request.params.kind as 'audio' | 'video';
        const body = await uploads.media(request.params.id as string, kind);
        return h.response(body).type(kind === 'audio' ? 'audio/wav' : 'video/webm');
      },
    },
  ];
}
