import { createHash } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { type AudioSource, AUDIO_FORMATS, renderAudio } from './audio';
import { DEFAULT_OUT, workDirIn } from './build';
import { requireTools } from './tools';

export interface SpeechOptions {
  /** Directory the files go to (default asterisk/prompts/build, the prompts' output directory). */
  out?: string;
  /** espeak-ng voice (default en-us). */
  voice?: string;
  /** Words per minute (default 165). */
  speed?: number;
  /** Seconds of silence after the speech (default 0.2). */
  pause?: number;
}

export interface RenderedSpeech {
  /** File name without extension, as Asterisk's `sound:` media wants it (relative to `out`). */
  name: string;
  /** Absolute path without extension. */
  path: string;
  /** False when the files were already in the cache. */
  rendered: boolean;
}

const inFlight = new Map<string, Promise<RenderedSpeech>>();

/** Speech rendered at run time is named `tts-…`; everything else is a manifest prompt. */
export const isSpeechPrompt = (name: string): boolean => name.startsWith('tts-');

/** Cache name of a text: `tts-` and 16 hex digits of sha256(voice, speed, pause, text). */
export function speechName(text: string, voice: string, speed: number, pause: number): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([voice, speed, pause, text]))
    .digest('hex');
  return `tts-${digest.slice(0, 16)}`;
}

/**
 * Text to speech for the IVR's data steps (a caller's name, a balance): renders the text into every
 * Asterisk audio format once and returns the file name to play. Cached on disk by hash of
 * text + voice + speed + pause; concurrent calls for the same text share one render. Audio only: there is no
 * video file, so a video caller's picture stays on the last frame shown.
 */
export function renderSpeech(text: string, options: SpeechOptions = {}): Promise<RenderedSpeech> {
  const trimmed = text.trim();
  if (trimmed === '') return Promise.reject(new RangeError('renderSpeech needs non-empty text'));
  const out = path.resolve(options.out ?? DEFAULT_OUT);
  const voice = options.voice ?? 'en-us';
  const speed = options.speed ?? 165;
  const pause = options.pause ?? 0.2;
  if (!/^[a-zA-Z0-9+_-]+$/.test(voice)) return Promise.reject(new RangeError(`bad voice name ${voice}`));
  const name = speechName(trimmed, voice, speed, pause);
  const key = path.join(out, name);
  const running = inFlight.get(key);
  if (running) return running;
  const job = renderOnce({ kind: 'speech', text: trimmed, voice, speed, pause }, out, name).finally(() =>
    inFlight.delete(key),
  );
  inFlight.set(key, job);
  return job;
}

async function renderOnce(source: AudioSource, out: string, name: string): Promise<RenderedSpeech> {
  const base = path.join(out, name);
  const cached = await Promise.all(
    AUDIO_FORMATS.map((format) =>
      stat(`${base}.${format}`).then(
        () => true,
        () => false,
      ),
    ),
  );
  if (cached.every(Boolean)) return { name, path: base, rendered: false };
  requireTools(['ffmpeg', 'espeak-ng']);
  await mkdir(out, { recursive: true });
  const work = await workDirIn(out, name);
  try {
    const audio = await renderAudio(source, work);
    for (const format of AUDIO_FORMATS) await rename(audio.files[format], `${base}.${format}`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return { name, path: base, rendered: true };
}
