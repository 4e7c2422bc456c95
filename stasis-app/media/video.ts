import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { accessUnits, splitAnnexB } from './annexb';
import { writeAsteriskVideo } from './asterisk-video';
import { H264Payloader } from './h264-rtp';
import { parseIvf } from './ivf';
import { ffmpeg } from './tools';
import { Vp8Payloader } from './vp8-rtp';

export const DEFAULT_FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf';

export type VideoSource =
  | { kind: 'card'; text: string; background: string; color: string; font: string; fontSize: number }
  | { kind: 'file'; path: string };

export interface VideoGeometry {
  width: number;
  height: number;
  fps: number;
  /** Number of frames to produce (the audio's duration times fps). */
  frames: number;
  /** Largest RTP payload in bytes. */
  maxPayload: number;
}

export interface RenderedVideo {
  h264: Buffer;
  vp8: Buffer;
  h264Frames: number;
  vp8Frames: number;
}

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.bmp', '.webp', '.gif']);

/**
 * Renders a card or a source file once, encodes it as H.264 constrained baseline (Annex B) and VP8
 * (IVF) in one ffmpeg run, and packetizes both into Asterisk's `.h264` / `.vp8` file format.
 */
export async function renderVideo(
  source: VideoSource,
  geometry: VideoGeometry,
  workDir: string,
): Promise<RenderedVideo> {
  const { fps, frames } = geometry;
  if (frames < 1) throw new RangeError('a video prompt needs at least one frame');
  const h264File = path.join(workDir, 'video.h264');
  const ivfFile = path.join(workDir, 'video.ivf');
  const { args: input, chain } = await videoInput(source, geometry, workDir);
  const gop = String(Math.max(1, Math.round(fps)));
  await ffmpeg(
    [
      ...input,
      '-filter_complex',
      `[0:v]${chain},split=2[h][v]`,
      ...['-map', '[h]', '-frames:v', String(frames), '-an'],
      ...[
        '-c:v',
        'libx264',
        '-profile:v',
        'baseline',
        '-level:v',
        '3.1',
        '-preset',
        'veryfast',
        '-pix_fmt',
        'yuv420p',
      ],
      ...['-g', gop, '-keyint_min', gop, '-sc_threshold', '0', '-bf', '0'],
      ...['-b:v', '600k', '-maxrate', '800k', '-bufsize', '800k', '-x264-params', 'repeat-headers=1'],
      ...['-f', 'h264', h264File],
      ...['-map', '[v]', '-frames:v', String(frames), '-an'],
      ...[
        '-c:v',
        'libvpx',
        '-deadline',
        'good',
        '-cpu-used',
        '4',
        '-b:v',
        '600k',
        '-g',
        gop,
        '-keyint_min',
        gop,
      ],
      ...['-auto-alt-ref', '0', '-lag-in-frames', '0', '-error-resilient', '1'],
      ...['-f', 'ivf', ivfFile],
    ],
    { cwd: workDir },
  );

  const h264Units = accessUnits(splitAnnexB(await readFile(h264File)));
  const h264Payloader = new H264Payloader({ maxPayload: geometry.maxPayload });
  const h264 = writeAsteriskVideo(
    h264Units.map((unit) => h264Payloader.packetize(unit)),
    fps,
  );

  const ivf = parseIvf(await readFile(ivfFile));
  const vp8Payloader = new Vp8Payloader({ maxPayload: geometry.maxPayload });
  const vp8 = writeAsteriskVideo(
    ivf.frames.map((frame) => vp8Payloader.packetize(frame.data)),
    fps,
  );
  if (h264Units.length !== frames || ivf.frames.length !== frames) {
    throw new Error(
      `encoder produced ${h264Units.length} H.264 / ${ivf.frames.length} VP8 frames, expected ${frames}`,
    );
  }
  return { h264, vp8, h264Frames: h264Units.length, vp8Frames: ivf.frames.length };
}

interface VideoInput {
  args: string[];
  /** Filter chain that turns the input into width x height, fps, yuv420p. */
  chain: string;
}

async function videoInput(
  source: VideoSource,
  geometry: VideoGeometry,
  workDir: string,
): Promise<VideoInput> {
  const { width, height, fps } = geometry;
  if (source.kind === 'card') {
    const args = ['-f', 'lavfi', '-i', `color=c=${source.background}:s=${width}x${height}:r=${fps}`];
    const chain = [...(await cardText(source, width, height, workDir)), 'format=yuv420p'].join(',');
    return { args, chain };
  }
  const isImage = IMAGE_EXTENSIONS.has(path.extname(source.path).toLowerCase());
  const args = isImage
    ? ['-loop', '1', '-framerate', String(fps), '-protocol_whitelist', 'file', '-i', source.path]
    : ['-stream_loop', '-1', '-protocol_whitelist', 'file', '-i', source.path];
  const chain = [
    `fps=${fps}`,
    `scale=${width}:${height}:force_original_aspect_ratio=decrease`,
    `pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2:color=black`,
    'setsar=1',
    'format=yuv420p',
  ].join(',');
  return { args, chain };
}

/** A font path that needs no escaping inside an ffmpeg filter. */
export const SAFE_FONT_PATH = /^[A-Za-z0-9_./-]+$/;

/**
 * drawtext filters for a card: the text is wrapped into lines, each line centred on its own, the block
 * centred vertically; the font shrinks when the longest line would not fit. Each line is read from a
 * file in workDir (textfile=, relative: ffmpeg runs there) so neither text nor path needs escaping.
 */
export async function cardText(
  card: Extract<VideoSource, { kind: 'card' }>,
  width: number,
  height: number,
  workDir: string,
): Promise<string[]> {
  if (!SAFE_FONT_PATH.test(card.font))
    throw new Error(`font path not usable in an ffmpeg filter: ${card.font}`);
  const lines = wrapCardText(card.text, 28);
  const longest = Math.max(1, ...lines.map((line) => line.length));
  // DejaVu Sans Bold averages about 0.62 em per character.
  const fontSize = Math.max(12, Math.min(card.fontSize, Math.floor((width * 0.9) / (longest * 0.62))));
  const lineHeight = Math.round(fontSize * 1.35);
  const top = Math.round((height - lines.length * lineHeight) / 2);
  const filters: string[] = [];
  for (const [index, line] of lines.entries()) {
    const file = path.join(workDir, `card-${index}.txt`);
    await writeFile(file, line, 'utf8');
    filters.push(
      [
        `drawtext=fontfile=${card.font}`,
        `textfile=${path.basename(file)}`,
        'expansion=none',
        `fontcolor=${card.color}`,
        `fontsize=${fontSize}`,
        'x=(w-text_w)/2',
        `y=${top + index * lineHeight}`,
      ].join(':'),
    );
  }
  return filters;
}

/** Splits card text at explicit newlines, then wraps each paragraph at word boundaries. */
export function wrapCardText(text: string, maxChars: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (line && line.length + 1 + word.length > maxChars) {
        lines.push(line);
        line = word;
      } else {
        line = line ? `${line} ${word}` : word;
      }
    }
    lines.push(line);
  }
  return lines.filter((line) => line !== '');
}
