import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConflictError, InvalidError, NotFoundError } from '../../../errors';
import type { Caller } from '../../../http/credentials';
import { Prompt } from '../../../models';
import {
  ACCEPTED_NAMES,
  acceptedFormat,
  audioPreview,
  buildUploaded,
  extensionFor,
  probe,
  type Probe,
  videoPreview,
} from './media-files';
import type { PromptService } from './service';
import { ToolError } from '../../../../stasis-app/media/tools';

/** A file part of the multipart body as hapi writes it (`output: 'file'`). */
export interface UploadedFile {
  filename: string;
  path: string;
  bytes: number;
  headers: Record<string, string>;
}

export interface UploadInput {
  name: string;
  description?: string;
  audio?: UploadedFile;
  video?: UploadedFile;
}

/** Longest prompt accepted: building video takes about real time / 4 on the 2-core machine. */
export const MAX_PROMPT_SECONDS = 300;
const AUDIO_TYPES = /^audio\//;
const VIDEO_TYPES = /^(video\/|image\/(png|jpeg)$)/;

const invalid = (field: string, message: string) => new InvalidError(message, [{ path: field, message }]);

/**
 * Prompts uploaded through the AS: each file's declared type and its content (ffprobe) are checked, the
 * project's prompt builder turns them into Asterisk's formats in the directory Asterisk plays from
 * (`$ASTERISK_SOUNDS_DIR/ipcc`), and the prompt is registered (audited) like any other. One build at a
 * time: ffmpeg uses every core, and two uploads of one name must not interleave their renames.
 */
export class PromptUploads {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly prompts: PromptService,
    /** Where Asterisk reads `sound:ipcc/<name>`. */
    readonly dir: string,
  ) {}

  upload(input: UploadInput, caller: Caller) {
    const job = this.queue.then(() => this.uploadNow(input, caller));
    this.queue = job.catch(() => undefined);
    return job;
  }

  private async uploadNow(input: UploadInput, caller: Caller) {
    if (input.audio === undefined && input.video === undefined) {
      throw invalid('audio', 'give an audio file, a video file or both');
    }
    if (await Prompt.exists({ name: input.name })) {
      throw new ConflictError(`prompt "${input.name}" exists already; choose another name`);
    }
    const audio = input.audio && (await this.check('audio', input.audio, AUDIO_TYPES));
    const video = input.video && (await this.check('video', input.video, VIDEO_TYPES));
    if (audio === undefined && video !== undefined && !video.probe.audio) {
      throw invalid('audio', 'the video has no sound: add an audio file');
    }
    // The builder tells a still picture from a video by its extension: the sources get the AS's own names.
    const work = await mkdtemp(path.join(os.tmpdir(), 'ipcc-upload-'));
    try {
      const place = async (file: UploadedFile, base: string, p: Probe) => {
        const to = path.join(work, `${base}${extensionFor(p)}`);
        await copyFile(file.path, to);
        return to;
      };
      const videoPath = video && input.video ? await place(input.video, 'video', video.probe) : undefined;
      const audioPath = audio && input.audio ? await place(input.audio, 'audio', audio.probe) : videoPath;
      await mkdir(this.dir, { recursive: true });
      const formats = await buildUploaded(this.dir, input.name, audioPath as string, videoPath).catch(
        (err: unknown) => {
          // ffprobe read the files, ffmpeg could not convert them (a truncated stream): the sender's to fix.
          if (err instanceof ToolError && err.code === 'failed') {
            throw new InvalidError(`the files could not be converted: ${err.message}`);
          }
          throw err;
        },
      );
      return await this.prompts.create(
        { name: input.name, formats, ...(input.description ? { description: input.description } : {}) },
        caller,
      );
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  private async check(field: 'audio' | 'video', file: UploadedFile, types: RegExp) {
    const declared = (file.headers['content-type'] ?? '').toLowerCase();
    if (!types.test(declared)) {
      throw invalid(field, `${field}: files of type "${declared || 'unknown'}" are not accepted`);
    }
    const p = await probe(file.path).catch(() => undefined);
    if (p === undefined || !acceptedFormat(p.formatName)) {
      throw invalid(field, `${field}: "${file.filename}" is not in an accepted format (${ACCEPTED_NAMES})`);
    }
    if (field === 'audio' ? !p.audio : !p.video) {
      throw invalid(field, `${field}: "${file.filename}" holds no ${field} that ffmpeg can read`);
    }
    if (
      p.durationSec !== undefined &&
      p.durationSec > MAX_PROMPT_SECONDS &&
      !(field === 'video' && !p.audio)
    ) {
      throw invalid(field, `${field}: longer than ${MAX_PROMPT_SECONDS} s`);
    }
    return { probe: p };
  }

  /** The built prompt as a browser plays it: WAV (audio) or WebM with VP8 and Opus (video). */
  async media(id: string, kind: 'audio' | 'video'): Promise<Buffer> {
    const prompt = await Prompt.findById(id).lean();
    if (!prompt) throw new NotFoundError('prompt');
    try {
      return kind === 'audio'
        ? await audioPreview(this.dir, prompt.name)
        : await videoPreview(this.dir, prompt.name);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT')
        throw new NotFoundError(`${kind} of prompt "${prompt.name}"`);
      throw err;
    }
  }
}

/** `$ASTERISK_SOUNDS_DIR/ipcc`, the folder the IVR plays prompts from (stasis-app/ivr/config.ts). */
export function promptDirFrom(environment: NodeJS.ProcessEnv): string {
  const sounds = environment.ASTERISK_SOUNDS_DIR || '/var/lib/ipcc/sid/usr/share/asterisk/sounds';
  return path.join(sounds, 'ipcc');
}
