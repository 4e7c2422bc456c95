import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { joinAnnexB } from './annexb';
import { readAsteriskVideo, videoFileStats } from './asterisk-video';
import { AUDIO_BYTES_PER_SECOND, AUDIO_FORMATS } from './audio';
import { depacketizeH264 } from './h264-rtp';
import { writeIvf } from './ivf';
import { run } from './tools';
import { depacketizeVp8 } from './vp8-rtp';

/**
 * Turns built prompt files back into what a decoder reads, to check them: the payloads of a `.h264`
 * file re-assembled into an Annex B stream, those of a `.vp8` file into an IVF file.
 */
export function h264FileToAnnexB(file: Buffer): { annexB: Buffer; frames: number } {
  const units = depacketizeH264(readAsteriskVideo(file));
  return { annexB: joinAnnexB(units.flat()), frames: units.length };
}

export function vp8FileToIvf(
  file: Buffer,
  width: number,
  height: number,
  fps: number,
): { ivf: Buffer; frames: number } {
  const frames = depacketizeVp8(readAsteriskVideo(file));
  const ivf = writeIvf({
    fourcc: 'VP80',
    width,
    height,
    timebaseRate: fps,
    timebaseScale: 1,
    frames: frames.map((data, index) => ({ timestamp: index, data })),
  });
  return { ivf, frames: frames.length };
}

/** Frames ffprobe decodes from a stream given on stdin (`format` is ffmpeg's demuxer: h264, ivf). */
export async function decodedFrameCount(stream: Buffer, format: string): Promise<number> {
  const { stdout } = await run(
    'ffprobe',
    [
      '-v',
      'error',
      '-f',
      format,
      '-count_frames',
      '-select_streams',
      'v:0',
      '-show_entries',
      'stream=nb_read_frames',
      '-of',
      'csv=p=0',
      'pipe:0',
    ],
    { input: stream },
  );
  const count = Number.parseInt(stdout.toString('utf8').trim(), 10);
  if (!Number.isInteger(count)) throw new Error(`ffprobe gave no frame count: ${stdout.toString('utf8')}`);
  return count;
}

export interface PromptCheck {
  name: string;
  audioMs: number;
  /** Absent for audio-only prompts. */
  video?: { frames: number; h264Decoded: number; vp8Decoded: number; maxPayload: number };
}

/**
 * Checks a built prompt the way a caller would receive it: every audio format present with matching
 * lengths and, if it has video, both files re-assembled and decoded by ffmpeg to the same frame count.
 */
export async function checkPrompt(
  out: string,
  name: string,
  geometry: { width: number; height: number; fps: number },
): Promise<PromptCheck> {
  const base = path.join(out, name);
  const ulaw = (await stat(`${base}.ulaw`)).size;
  for (const format of AUDIO_FORMATS) {
    const seconds = (await stat(`${base}.${format}`)).size / AUDIO_BYTES_PER_SECOND[format];
    if (Math.abs(seconds - ulaw / 8000) > 0.05)
      throw new Error(`${name}.${format} is ${seconds}s, ulaw ${ulaw / 8000}s`);
  }
  const result: PromptCheck = { name, audioMs: Math.round(ulaw / 8) };
  const h264File = await readFile(`${base}.h264`).catch(() => undefined);
  if (!h264File) return result;
  const vp8File = await readFile(`${base}.vp8`);
  const stats = [videoFileStats(readAsteriskVideo(h264File)), videoFileStats(readAsteriskVideo(vp8File))];
  const h264 = h264FileToAnnexB(h264File);
  const vp8 = vp8FileToIvf(vp8File, geometry.width, geometry.height, geometry.fps);
  const video = {
    frames: h264.frames,
    h264Decoded: await decodedFrameCount(h264.annexB, 'h264'),
    vp8Decoded: await decodedFrameCount(vp8.ivf, 'ivf'),
    maxPayload: Math.max(...stats.map((s) => s.maxPayload)),
  };
  if (video.h264Decoded !== video.frames || video.vp8Decoded !== vp8.frames || vp8.frames !== h264.frames) {
    throw new Error(
      `${name}: frames h264 ${h264.frames} (decoded ${video.h264Decoded}), vp8 ${vp8.frames} (decoded ${video.vp8Decoded})`,
    );
  }
  const expected = Math.max(1, Math.round((ulaw / 8000) * geometry.fps));
  if (video.frames !== expected)
    throw new Error(`${name}: ${video.frames} video frames, expected ${expected} for the audio`);
  return { ...result, video };
}
