import { existsSync } from 'node:fs';
import { mkdir, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { AUDIO_FORMATS } from './audio';

export const VIDEO_CODECS = ['h264', 'vp8'] as const;
export type VideoCodec = (typeof VIDEO_CODECS)[number];

/**
 * One directory per video codec (`<out>/h264/`, `<out>/vp8/`) holding links to each prompt's audio and
 * to that codec's video only. Asterisk, given both `.h264` and `.vp8` beside a prompt, was seen sending
 * VP8 to a caller that negotiated H.264; playing `ipcc/<codec>/<name>` leaves it one video to choose.
 */
export async function linkCodecDirs(out: string, names: readonly string[]): Promise<void> {
  for (const codec of VIDEO_CODECS) {
    const dir = path.join(out, codec);
    await mkdir(dir, { recursive: true });
    for (const name of names) {
      for (const ext of [...AUDIO_FORMATS, codec]) {
        const target = path.join(out, `${name}.${ext}`);
        const link = path.join(dir, `${name}.${ext}`);
        await rm(link, { force: true });
        if (existsSync(target)) await symlink(path.join('..', `${name}.${ext}`), link);
      }
    }
  }
}

/** The Asterisk media URI of a prompt for a caller's video codec (none: audio only, or unknown). */
export function promptUri(name: string, codec: VideoCodec | undefined, isManifestPrompt: boolean): string {
  return codec !== undefined && isManifestPrompt ? `sound:ipcc/${codec}/${name}` : `sound:ipcc/${name}`;
}

/** `(h264)`, `(vp8|h264)`, `(nothing)`: the first video codec this system has prompts for. */
export function codecOf(videoNativeFormat: string): VideoCodec | undefined {
  const formats = videoNativeFormat.replace(/[()]/g, '').split('|');
  return VIDEO_CODECS.find((c) => formats.includes(c));
}
