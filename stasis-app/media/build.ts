import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../../lib/log';
import { type AudioSource, AUDIO_FORMATS, renderAudio } from './audio';
import { linkCodecDirs } from './codec-dirs';
import { type Manifest, type PromptEntry, DEFAULT_MANIFEST, loadManifest } from './manifest';
import { requireTools } from './tools';
import { type VideoSource, renderVideo } from './video';

/** Bump when the builder's output changes for the same manifest entry, to force a rebuild. */
export const BUILDER_VERSION = 2;

export const VIDEO_FORMATS = ['h264', 'vp8'] as const;

export const DEFAULT_OUT = path.resolve(__dirname, '../../asterisk/prompts/build');

export interface BuildOptions {
  /** Output directory (default asterisk/prompts/build). */
  out?: string;
  /** Build only the prompt with this name (an unknown name is an error). */
  only?: string;
  /** Manifest file (default asterisk/prompts/manifest.json); source paths are relative to its folder. */
  manifest?: string;
  /** Rebuild even when the hash says a prompt is up to date. */
  force?: boolean;
  /** Prompts built at the same time (default 2; ffmpeg's encoders are multi-threaded themselves). */
  concurrency?: number;
  log?: Logger;
}

export interface PromptResult {
  name: string;
  status: 'built' | 'up-to-date';
  durationMs?: number;
  videoFrames?: number;
}

export interface BuildReport {
  out: string;
  prompts: PromptResult[];
  elapsedMs: number;
}

export class PromptBuildError extends Error {
  constructor(
    message: string,
    readonly failures: { name: string; error: unknown }[],
  ) {
    super(message);
    this.name = 'PromptBuildError';
  }
}

/** A manifest entry with the defaults applied and source paths made absolute: what a build depends on. */
export interface ResolvedPrompt {
  name: string;
  audio: AudioSource;
  video: VideoSource | undefined;
  width: number;
  height: number;
  fps: number;
  maxPayload: number;
}

export function resolvePrompt(
  entry: PromptEntry,
  defaults: Manifest['defaults'],
  baseDir: string,
): ResolvedPrompt {
  let audio: AudioSource;
  if (entry.text !== undefined) {
    audio = {
      kind: 'speech',
      text: entry.text,
      voice: entry.voice ?? defaults.voice,
      speed: entry.speed ?? defaults.speed,
      pause: entry.pause ?? defaults.pause,
    };
  } else if (entry.audioFile !== undefined) {
    audio = { kind: 'file', path: path.resolve(baseDir, entry.audioFile) };
  } else if (entry.melody !== undefined) {
    audio = { kind: 'melody', seconds: entry.melody.seconds };
  } else {
    throw new Error(`prompt ${entry.name} has no audio source`);
  }
  let video: VideoSource | undefined;
  if (entry.card !== undefined) {
    video = {
      kind: 'card',
      text: entry.card,
      background: entry.background ?? defaults.background,
      color: entry.color ?? defaults.color,
      font: defaults.font,
      fontSize: defaults.fontSize,
    };
  } else if (entry.videoFile !== undefined) {
    video = { kind: 'file', path: path.resolve(baseDir, entry.videoFile) };
  }
  const { width, height, fps, maxPayload } = defaults;
  return { name: entry.name, audio, video, width, height, fps, maxPayload };
}

/** Hash of everything a prompt's files depend on: the resolved entry, source file contents, builder version. */
export async function promptHash(prompt: ResolvedPrompt): Promise<string> {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ version: BUILDER_VERSION, prompt }));
  for (const source of [prompt.audio, prompt.video]) {
    if (source?.kind === 'file') hash.update(await readFile(source.path));
  }
  return hash.digest('hex');
}

export function outputFiles(out: string, name: string, withVideo: boolean): string[] {
  const formats: readonly string[] = withVideo ? [...AUDIO_FORMATS, ...VIDEO_FORMATS] : AUDIO_FORMATS;
  return formats.map((format) => path.join(out, `${name}.${format}`));
}

function hashFile(out: string, name: string): string {
  return path.join(out, '.hashes', name);
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

async function upToDate(out: string, prompt: ResolvedPrompt, hash: string): Promise<boolean> {
  let stored: string;
  try {
    stored = (await readFile(hashFile(out, prompt.name), 'utf8')).trim();
  } catch {
    return false;
  }
  if (stored !== hash) return false;
  const files = await Promise.all(outputFiles(out, prompt.name, prompt.video !== undefined).map(exists));
  return files.every(Boolean);
}

/** Temporary directory inside `out`, so finished files are moved into place by an atomic rename. */
export async function workDirIn(out: string, label: string): Promise<string> {
  const dir = path.join(out, `.work-${label}-${randomBytes(4).toString('hex')}`);
  await mkdir(dir, { recursive: true });
  return dir;
}

/**
 * Builds one prompt: audio first (its length sets the video's), then the video. Files are moved into
 * place video first and audio last, because Asterisk plays a video file only when the audio file of
 * the same name exists; a prompt that lost its video has its old .h264/.vp8 removed.
 */
export async function buildPrompt(prompt: ResolvedPrompt, out: string): Promise<PromptResult> {
  const work = await workDirIn(out, prompt.name);
  try {
    const audio = await renderAudio(prompt.audio, work);
    let videoFrames: number | undefined;
    if (prompt.video) {
      const frames = Math.max(1, Math.round((audio.durationMs * prompt.fps) / 1000));
      const video = await renderVideo(
        prompt.video,
        {
          width: prompt.width,
          height: prompt.height,
          fps: prompt.fps,
          frames,
          maxPayload: prompt.maxPayload,
        },
        work,
      );
      videoFrames = frames;
      for (const format of VIDEO_FORMATS) {
        const staged = path.join(work, `out.${format}`);
        await writeFile(staged, video[format]);
        await rename(staged, path.join(out, `${prompt.name}.${format}`));
      }
    } else {
      await Promise.all(
        VIDEO_FORMATS.map((format) => rm(path.join(out, `${prompt.name}.${format}`), { force: true })),
      );
    }
    for (const format of AUDIO_FORMATS) {
      await rename(audio.files[format], path.join(out, `${prompt.name}.${format}`));
    }
    const result: PromptResult = { name: prompt.name, status: 'built', durationMs: audio.durationMs };
    if (videoFrames !== undefined) result.videoFrames = videoFrames;
    return result;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function runPool<T>(
  items: readonly T[],
  concurrency: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
}

/**
 * Builds the prompts of the manifest into `out`, skipping those whose hash (entry + sources + builder
 * version) matches the last build and whose files are all there. Failures of single prompts are
 * collected and thrown together after the others finished.
 */
export async function buildPrompts(options: BuildOptions = {}): Promise<BuildReport> {
  const started = performance.now();
  const out = path.resolve(options.out ?? DEFAULT_OUT);
  const manifestFile = path.resolve(options.manifest ?? DEFAULT_MANIFEST);
  const manifest = await loadManifest(manifestFile);
  const baseDir = path.dirname(manifestFile);
  let entries = manifest.prompts;
  if (options.only !== undefined) {
    entries = entries.filter((entry) => entry.name === options.only);
    if (entries.length === 0) throw new Error(`no prompt named ${options.only} in ${manifestFile}`);
  }
  const prompts = entries.map((entry) => resolvePrompt(entry, manifest.defaults, baseDir));
  await mkdir(path.join(out, '.hashes'), { recursive: true });

  const pending: { prompt: ResolvedPrompt; hash: string }[] = [];
  const results = new Map<string, PromptResult>();
  for (const prompt of prompts) {
    const hash = await promptHash(prompt);
    if (!options.force && (await upToDate(out, prompt, hash))) {
      results.set(prompt.name, { name: prompt.name, status: 'up-to-date' });
    } else {
      pending.push({ prompt, hash });
    }
  }
  if (pending.length > 0) requireTools(['ffmpeg', 'espeak-ng']);

  const failures: { name: string; error: unknown }[] = [];
  await runPool(pending, options.concurrency ?? 2, async ({ prompt, hash }) => {
    try {
      await rm(hashFile(out, prompt.name), { force: true });
      const result = await buildPrompt(prompt, out);
      await writeFile(hashFile(out, prompt.name), `${hash}\n`);
      results.set(prompt.name, result);
      options.log?.info('prompt built', { ...result });
    } catch (error) {
      failures.push({ name: prompt.name, error });
      options.log?.error('prompt failed', {
        prompt: prompt.name,
        err: error instanceof Error ? error.message : error,
      });
    }
  });
  if (failures.length > 0) {
    const detail = failures
      .map(({ name, error }) => `${name}: ${error instanceof Error ? error.message : String(error)}`)
      .join('\n');
    throw new PromptBuildError(`${failures.length} prompt(s) failed\n${detail}`, failures);
  }
  await linkCodecDirs(
    out,
    prompts.map((p) => p.name),
  );
  const ordered = prompts.flatMap((prompt) => results.get(prompt.name) ?? []);
  return { out, prompts: ordered, elapsedMs: Math.round(performance.now() - started) };
}
