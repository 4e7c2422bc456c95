import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ffmpeg, run } from './tools';

/**
 * Audio formats written for every prompt, by Asterisk file extension: 8 kHz mu-law and A-law, 16 kHz
 * signed linear, and G.722 (64 kbit/s, 16 kHz audio). Asterisk picks the one matching the channel's
 * codec, so no transcoding happens at play time.
 */
export const AUDIO_FORMATS = ['sln16', 'ulaw', 'alaw', 'g722'] as const;
export type AudioFormat = (typeof AUDIO_FORMATS)[number];

const FORMAT_ARGS: Readonly<Record<AudioFormat, readonly string[]>> = {
  sln16: ['-ar', '16000', '-c:a', 'pcm_s16le', '-f', 's16le'],
  ulaw: ['-ar', '8000', '-c:a', 'pcm_mulaw', '-f', 'mulaw'],
  alaw: ['-ar', '8000', '-c:a', 'pcm_alaw', '-f', 'alaw'],
  g722: ['-ar', '16000', '-c:a', 'g722', '-f', 'g722'],
};

/** Bytes per second of each format, to derive durations from file sizes. */
export const AUDIO_BYTES_PER_SECOND: Readonly<Record<AudioFormat, number>> = {
  sln16: 32000,
  ulaw: 8000,
  alaw: 8000,
  g722: 8000,
};

export type AudioSource =
  | {
      kind: 'speech';
      text: string;
      voice: string;
      speed: number;
      /** Seconds of silence after the speech. */ pause: number;
    }
  | { kind: 'file'; path: string }
  | { kind: 'melody'; seconds: number };

export interface RenderedAudio {
  /** Files written, by format, inside the work directory. */
  files: Record<AudioFormat, string>;
  durationMs: number;
}

/** Renders one audio source into every Asterisk format in workDir (`audio.<ext>`). */
export async function renderAudio(source: AudioSource, workDir: string): Promise<RenderedAudio> {
  const input = await audioInput(source, workDir);
  // espeak-ng runs with -z (no sentence-final pause) and the speech gets exactly `pause` seconds of
  // silence, short for words that are chained (numbers). A given file is kept as it is, and the
  // melody is a loop that must end exactly on its last note.
  const filter = source.kind === 'speech' && source.pause > 0 ? ['-af', `apad=pad_dur=${source.pause}`] : [];
  const files = {} as Record<AudioFormat, string>;
  const outputs: string[] = [];
  for (const format of AUDIO_FORMATS) {
    files[format] = path.join(workDir, `audio.${format}`);
    outputs.push('-map', '0:a', ...filter, '-ac', '1', ...FORMAT_ARGS[format], files[format]);
  }
  // One decode, one encode per format.
  await ffmpeg([...input, ...outputs]);
  const { size } = await stat(files.sln16);
  if (size === 0) throw new Error('audio rendered to an empty file');
  return { files, durationMs: Math.round((size / AUDIO_BYTES_PER_SECOND.sln16) * 1000) };
}

async function audioInput(source: AudioSource, workDir: string): Promise<string[]> {
  switch (source.kind) {
    case 'speech': {
      const textFile = path.join(workDir, 'speech.txt');
      const wavFile = path.join(workDir, 'speech.wav');
      await writeFile(textFile, source.text, 'utf8');
      await run('espeak-ng', [
        '-z',
        '-v',
        source.voice,
        '-s',
        String(source.speed),
        '-w',
        wavFile,
        '-f',
        textFile,
      ]);
      return ['-i', wavFile];
    }
    case 'file':
      // Only the local file itself: a playlist-like source must not reach the network.
      return ['-protocol_whitelist', 'file', '-i', source.path];
    case 'melody':
      return [
        '-f',
        'lavfi',
        '-i',
        `aevalsrc='${melodyExpression(source.seconds)}':s=16000:d=${source.seconds}`,
      ];
  }
}

/** A calm pentatonic phrase (Hz), one note per half second, repeated to fill the hold loop. */
const HOLD_NOTES = [523.25, 659.25, 783.99, 880, 783.99, 659.25, 587.33, 659.25, 523.25, 392, 440, 523.25];
const NOTE_SECONDS = 0.5;

/**
 * aevalsrc expression for the hold melody: each note is a sine plus a soft octave, with a decaying
 * envelope that reaches zero at the note's end, so notes (and the loop seam) join without clicks.
 */
export function melodyExpression(seconds: number): string {
  const terms: string[] = [];
  const count = Math.floor(seconds / NOTE_SECONDS);
  for (let i = 0; i < count; i += 1) {
    const start = (i * NOTE_SECONDS).toFixed(2);
    const end = ((i + 1) * NOTE_SECONDS).toFixed(2);
    const f = HOLD_NOTES[i % HOLD_NOTES.length] ?? 440;
    const local = `(t-${start})`;
    const envelope = `exp(-4*${local})*(1-${local}/${NOTE_SECONDS})`;
    const tone = `(0.22*sin(2*PI*${f}*${local})+0.06*sin(4*PI*${f}*${local}))`;
    terms.push(`gte(t,${start})*lt(t,${end})*${envelope}*${tone}`);
  }
  return terms.join('+');
}
