import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_FONT, SAFE_FONT_PATH } from './video';
import { ASTERISK_MAX_PAYLOAD, DEFAULT_MAX_PAYLOAD } from './rtp';

/** Safe inside an ffmpeg filter: 0xRRGGBB or a colour name. */
const colour = z
  .string()
  .regex(/^(0x[0-9a-fA-F]{6}|[a-zA-Z]+)$/, 'a colour is 0xRRGGBB or a name such as white');
const relativeFile = z
  .string()
  .min(1)
  .refine(
    (file) => !path.isAbsolute(file) && !file.split(/[\\/]/).includes('..'),
    'a path inside asterisk/prompts/',
  );

export const promptNamePattern = /^[a-z0-9][a-z0-9-]*$/;

const defaultsSchema = z.strictObject({
  voice: z
    .string()
    .regex(/^[a-zA-Z0-9+_-]+$/)
    .default('en-us'),
  speed: z.number().int().min(80).max(450).default(165),
  /** Seconds of silence after speech. */
  pause: z.number().min(0).max(5).default(0.3),
  width: z.number().int().min(16).max(1920).multipleOf(2).default(640),
  height: z.number().int().min(16).max(1080).multipleOf(2).default(360),
  fps: z.number().min(1).max(30).default(15),
  background: colour.default('0x1f3a5f'),
  color: colour.default('white'),
  fontSize: z.number().int().min(12).max(120).default(40),
  font: z
    .string()
    .regex(SAFE_FONT_PATH, 'an absolute font path of letters, digits, _ . / -')
    .default(DEFAULT_FONT),
  maxPayload: z.number().int().min(64).max(ASTERISK_MAX_PAYLOAD).default(DEFAULT_MAX_PAYLOAD),
});

const promptSchema = z
  .strictObject({
    name: z.string().regex(promptNamePattern, 'lower-case letters, digits and dashes'),
    description: z.string().optional(),
    /** Text spoken by espeak-ng. */
    text: z.string().min(1).optional(),
    /** An audio file to convert instead of speech. */
    audioFile: relativeFile.optional(),
    /** A generated hold melody of this many seconds instead of speech. */
    melody: z.strictObject({ seconds: z.number().min(1).max(60) }).optional(),
    /** Text of a video card; the prompt gets .h264 and .vp8 files. */
    card: z.string().min(1).optional(),
    /** A video or image file for the video instead of a card. */
    videoFile: relativeFile.optional(),
    voice: defaultsSchema.shape.voice.unwrap().optional(),
    speed: defaultsSchema.shape.speed.unwrap().optional(),
    pause: defaultsSchema.shape.pause.unwrap().optional(),
    background: colour.optional(),
    color: colour.optional(),
  })
  .superRefine((prompt, ctx) => {
    const audio = [prompt.text, prompt.audioFile, prompt.melody].filter(
      (value) => value !== undefined,
    ).length;
    if (audio !== 1) {
      ctx.addIssue({ code: 'custom', message: 'exactly one of text, audioFile, melody is required' });
    }
    if (prompt.card !== undefined && prompt.videoFile !== undefined) {
      ctx.addIssue({ code: 'custom', message: 'card and videoFile are mutually exclusive' });
    }
  });

export const manifestSchema = z
  .strictObject({
    $comment: z.string().optional(),
    defaults: defaultsSchema.prefault({}),
    prompts: z.array(promptSchema).min(1),
  })
  .superRefine((manifest, ctx) => {
    const seen = new Set<string>();
    manifest.prompts.forEach((prompt, index) => {
      if (seen.has(prompt.name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['prompts', index, 'name'],
          message: `duplicate prompt ${prompt.name}`,
        });
      }
      seen.add(prompt.name);
    });
  });

export type Manifest = z.infer<typeof manifestSchema>;
export type PromptEntry = Manifest['prompts'][number];
export type PromptDefaults = Manifest['defaults'];

export const DEFAULT_MANIFEST = path.resolve(__dirname, '../../asterisk/prompts/manifest.json');

export class ManifestError extends Error {
  constructor(
    message: string,
    readonly file: string,
  ) {
    super(message);
    this.name = 'ManifestError';
  }
}

export function parseManifest(json: unknown, file = '<manifest>'): Manifest {
  const result = manifestSchema.safeParse(json);
  if (!result.success)
    throw new ManifestError(`${file}: invalid manifest\n${z.prettifyError(result.error)}`, file);
  return result.data;
}

export async function loadManifest(file = DEFAULT_MANIFEST): Promise<Manifest> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new ManifestError(`${file}: ${err instanceof Error ? err.message : String(err)}`, file);
  }
  return parseManifest(json, file);
}
