import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AUDIO_FORMATS, buildPrompt, linkCodecDirs, parseManifest } from '../../../../stasis-app/media';
import type { ResolvedPrompt } from '../../../../stasis-app/media/build';
import { vp8FileToIvf } from '../../../../stasis-app/media/check';
import { ffmpeg, requireTools, run } from '../../../../stasis-app/media/tools';

/**
 * The media side of an uploaded prompt: what ffprobe finds in a file, building it with the project's
 * prompt builder (stasis-app/media) into the directory Asterisk plays from, and turning the built files
 * back into what a browser plays (WAV, WebM) for the preview. The builder runs ffmpeg; nothing here
 * passes a user's text to a shell (argument arrays only) and file names are the AS's own.
 */

export interface Probe {
  formatName: string;
  /** Seconds; undefined for a still picture. */
  durationSec: number | undefined;
  audio: boolean;
  video: boolean;
}

/**
 * The demuxers an upload may use (ffmpeg matches each against the parts of a name such as
 * `mov,mp4,m4a,3gp,3g2,mj2`): plain media containers and still pictures. Playlists and indirections
 * (`hls`, `concat`, `image2` sequences...) are left out: they make ffmpeg open other files of the server.
 */
export const ACCEPTED_FORMATS = [
  ...['wav', 'mp3', 'ogg', 'flac', 'aac', 'mov', 'matroska'],
  ...['png_pipe', 'jpeg_pipe'],
] as const;

/** What an administrator reads when a file is none of these. */
export const ACCEPTED_NAMES = 'WAV, MP3, Ogg, FLAC, AAC, MP4/M4A/MOV, WebM/Matroska, and PNG/JPEG for video';

/** ffmpeg may read only the local file it is given, with one of the accepted demuxers. */
export const INPUT_LIMITS = ['-protocol_whitelist', 'file', '-format_whitelist', ACCEPTED_FORMATS.join(',')];

export function acceptedFormat(formatName: string): boolean {
  const parts = formatName.split(',');
  return ACCEPTED_FORMATS.some((f) => parts.includes(f));
}

/** Rejects when ffprobe refuses the file: not one of the accepted formats, or unreadable. */
export async function probe(file: string): Promise<Probe> {
  const { stdout } = await run('ffprobe', [
    ...INPUT_LIMITS,
    ...['-v', 'error', '-show_entries', 'stream=codec_type:format=format_name,duration'],
    ...['-of', 'json', file],
  ]);
  const data = JSON.parse(stdout.toString('utf8')) as {
    streams?: { codec_type?: string }[];
    format?: { format_name?: string; duration?: string };
  };
  const types = new Set((data.streams ?? []).map((s) => s.codec_type));
  const duration = Number(data.format?.duration);
  return {
    formatName: data.format?.format_name ?? '',
    durationSec: Number.isFinite(duration) ? duration : undefined,
    audio: types.has('audio'),
    video: types.has('video'),
  };
}

/** ffmpeg's demuxers for still pictures: the builder loops these (it tells them by extension). */
const PICTURE_FORMATS = new Map([
  ['png_pipe', '.png'],
  ['jpeg_pipe', '.jpg'],
  ['image2', '.jpg'],
]);

export function extensionFor(p: Probe): string {
  return PICTURE_FORMATS.get(p.formatName) ?? '.media';
}

/** The manifest's defaults (size, frame rate, payload limit): uploads are built like manifest prompts. */
const DEFAULTS = parseManifest({ prompts: [{ name: 'defaults', text: 'x' }] }).defaults;

export const AUDIO_ONLY = [...AUDIO_FORMATS] as string[];
export const WITH_VIDEO = [...AUDIO_FORMATS, 'h264', 'vp8'];

/**
 * Builds `name` from an audio source and/or a video source into `dir` (the audio comes from the video's
 * own sound when no audio file is given), then links it into the per-codec folders the IVR plays from
 * (`ipcc/h264/<name>`, `ipcc/vp8/<name>`). Returns the formats written.
 */
export async function buildUploaded(
  dir: string,
  name: string,
  audioPath: string,
  videoPath: string | undefined,
): Promise<string[]> {
  requireTools(['ffmpeg', 'ffprobe']);
  const prompt: ResolvedPrompt = {
    name,
    audio: { kind: 'file', path: audioPath },
    video: videoPath === undefined ? undefined : { kind: 'file', path: videoPath },
    width: DEFAULTS.width,
    height: DEFAULTS.height,
    fps: DEFAULTS.fps,
    maxPayload: DEFAULTS.maxPayload,
  };
  await buildPrompt(prompt, dir);
  await linkCodecDirs(dir, [name]);
  return videoPath === undefined ? AUDIO_ONLY : WITH_VIDEO;
}

/** A 44-byte RIFF header before 16 kHz mono 16-bit PCM: the `.sln16` file as a browser plays it. */
export function wavOf(sln16: Buffer, rate = 16_000): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + sln16.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(sln16.length, 40);
  return Buffer.concat([header, sln16]);
}

export async function audioPreview(dir: string, name: string): Promise<Buffer> {
  return wavOf(await readFile(path.join(dir, `${name}.sln16`)));
}

/**
 * The built `.vp8` file (Asterisk's packet records) re-assembled into VP8 frames and muxed with the
 * `.sln16` audio into WebM: the preview shows exactly what a VP8 caller receives.
 */
export async function videoPreview(dir: string, name: string): Promise<Buffer> {
  const vp8 = await readFile(path.join(dir, `${name}.vp8`));
  const { ivf } = vp8FileToIvf(vp8, DEFAULTS.width, DEFAULTS.height, DEFAULTS.fps);
  const work = await mkdtemp(path.join(os.tmpdir(), 'ipcc-preview-'));
  try {
    await writeFile(path.join(work, 'video.ivf'), ivf);
    await ffmpeg(
      [
        ...['-f', 'ivf', '-i', 'video.ivf'],
        ...['-f', 's16le', '-ar', '16000', '-ac', '1', '-i', path.join(dir, `${name}.sln16`)],
        ...['-c:v', 'copy', '-c:a', 'libopus', '-b:a', '48k', '-f', 'webm', 'out.webm'],
      ],
      { cwd: work },
    );
    return await readFile(path.join(work, 'out.webm'));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
