import { joinAnnexB } from './annexb';
import { type VideoRecord, readAsteriskVideo, videoFileStats } from './asterisk-video';
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
    stream,
  );
  const count = Number.parseInt(stdout.toString('utf8').trim(), 10);
  if (!Number.isInteger(count)) throw new Error(`ffprobe gave no frame count: ${stdout.toString('utf8')}`);
  return count;
}

export function recordStats(records: readonly VideoRecord[]): ReturnType<typeof videoFileStats> {
  return videoFileStats(records);
}
