import { expect } from '../../support/chai';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { nalType } from '../../../stasis-app/media/annexb';
import { readAsteriskVideo, videoFileStats } from '../../../stasis-app/media/asterisk-video';
import { AUDIO_FORMATS } from '../../../stasis-app/media/audio';
import { buildPrompts } from '../../../stasis-app/media/build';
import { decodedFrameCount, h264FileToAnnexB, vp8FileToIvf } from '../../../stasis-app/media/check';
import { depacketizeH264 } from '../../../stasis-app/media/h264-rtp';
import { DEFAULT_MANIFEST } from '../../../stasis-app/media/manifest';
import { renderSpeech } from '../../../stasis-app/media/speech';
import { ffmpeg, requireTools, run } from '../../../stasis-app/media/tools';
import { depacketizeVp8, isVp8KeyFrame } from '../../../stasis-app/media/vp8-rtp';

const FPS = 15;

/** Root mean square of 16-bit little-endian samples, 0..32767. */
function rms(sln: Buffer): number {
  let sum = 0;
  const samples = Math.floor(sln.length / 2);
  for (let i = 0; i < samples; i += 1) sum += sln.readInt16LE(i * 2) ** 2;
  return Math.sqrt(sum / Math.max(1, samples));
}

describe('prompt builder with the real ffmpeg and espeak-ng', function () {
  this.timeout(120_000);
  let out: string;

  before(async () => {
    // Fails (never skips) when a tool is missing, naming it and its Debian package.
    requireTools(['ffmpeg', 'ffprobe', 'espeak-ng']);
    out = await mkdtemp(path.join(os.tmpdir(), 'prompts-'));
  });

  after(async () => {
    if (out) await rm(out, { recursive: true, force: true });
  });

  describe('the welcome prompt', () => {
    let durationS: number;
    let expectedFrames: number;

    before(async () => {
      const report = await buildPrompts({ out, only: 'welcome' });
      expect(report.prompts.map((p) => [p.name, p.status])).to.deep.equal([['welcome', 'built']]);
    });

    it('writes every audio format with consistent durations and audible speech', async () => {
      const sizes = Object.fromEntries(
        await Promise.all(
          AUDIO_FORMATS.map(async (f) => [f, (await stat(path.join(out, `welcome.${f}`))).size] as const),
        ),
      );
      durationS = (sizes.ulaw ?? 0) / 8000;
      expectedFrames = Math.round(durationS * FPS);
      expect(durationS, 'speech length').to.be.within(2, 10);
      expect(Math.abs((sizes.alaw ?? 0) - (sizes.ulaw ?? 0)), 'alaw vs ulaw bytes').to.be.at.most(16);
      expect(Math.abs((sizes.sln16 ?? 0) / 32000 - durationS), 'sln16 seconds').to.be.below(0.01);
      expect(Math.abs((sizes.g722 ?? 0) / 8000 - durationS), 'g722 seconds').to.be.below(0.02);
      const level = rms(await readFile(path.join(out, 'welcome.sln16')));
      expect(level, 'RMS of the speech').to.be.above(500);
    });

    it('writes an H.264 file Asterisk can play and ffmpeg decodes to the expected frame count', async () => {
      const file = await readFile(path.join(out, 'welcome.h264'));
      const records = readAsteriskVideo(file);
      const stats = videoFileStats(records);
      expect(stats.frames).to.equal(expectedFrames);
      expect(stats.maxPayload).to.be.at.most(1200);
      expect(Math.abs(stats.durationMs / 1000 - durationS), 'video vs audio seconds').to.be.below(2 / FPS);
      for (const [i, record] of records.entries()) {
        if (i === 0) continue; // Asterisk discards the first delta
        const firstOfFrame = records[i - 1]?.marker === true;
        if (firstOfFrame) expect(record.delta, `record ${i} delta`).to.be.within(740, 760);
        else expect(record.delta, `record ${i} delta`).to.equal(0);
      }

      const units = depacketizeH264(records);
      const idrUnits = units.filter((unit) => unit.some((nal) => nalType(nal) === 5));
      expect(idrUnits.length, 'one IDR per second').to.be.at.least(Math.floor(durationS));
      for (const unit of idrUnits) expect(unit.map(nalType).slice(0, 2)).to.deep.equal([7, 8]);

      const { annexB, frames } = h264FileToAnnexB(file);
      expect(frames).to.equal(expectedFrames);
      expect(await decodedFrameCount(annexB, 'h264')).to.equal(expectedFrames);
      const { stdout } = await run(
        'ffprobe',
        [
          '-v',
          'error',
          '-f',
          'h264',
          '-show_entries',
          'stream=profile,width,height',
          '-of',
          'csv=p=0',
          'pipe:0',
        ],
        { input: annexB },
      );
      expect(stdout.toString().trim()).to.equal('Constrained Baseline,640,360');
    });

    it('writes a VP8 file whose frames rebuild into an IVF that ffmpeg decodes', async () => {
      const file = await readFile(path.join(out, 'welcome.vp8'));
      const records = readAsteriskVideo(file);
      const stats = videoFileStats(records);
      expect(stats.frames).to.equal(expectedFrames);
      expect(stats.maxPayload).to.be.at.most(1200);
      const frames = depacketizeVp8(records);
      expect(isVp8KeyFrame(frames[0]!)).to.equal(true);
      const { ivf } = vp8FileToIvf(file, 640, 360, FPS);
      expect(await decodedFrameCount(ivf, 'ivf')).to.equal(expectedFrames);
    });

    it('skips an unchanged prompt on the next run in well under a second', async () => {
      const started = performance.now();
      const report = await buildPrompts({ out, only: 'welcome' });
      expect(report.prompts.map((p) => p.status)).to.deep.equal(['up-to-date']);
      expect(performance.now() - started).to.be.below(500);
    });
  });

  describe('a manifest with source files', () => {
    let dir: string;

    before(async () => {
      // A name with characters that ffmpeg filter graphs treat specially: nothing may need escaping.
      dir = await mkdtemp(path.join(os.tmpdir(), "prompt src: it's, [x];"));
      await ffmpeg([
        '-f',
        'lavfi',
        '-i',
        'testsrc2=s=320x240:d=1',
        '-frames:v',
        '1',
        path.join(dir, 'logo.png'),
      ]);
      await ffmpeg(['-f', 'lavfi', '-i', 'sine=f=440:d=1.5:r=48000', path.join(dir, 'tone.wav')]);
      await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=s=1280x720:r=25:d=1', path.join(dir, 'clip.mp4')]);
      const manifest = {
        defaults: { width: 320, height: 240, fps: 10, maxPayload: 500 },
        prompts: [
          { name: 'image', audioFile: 'tone.wav', videoFile: 'logo.png' },
          { name: 'clip', text: 'A short clip that loops.', videoFile: 'clip.mp4' },
          { name: 'plain', text: 'Audio only.', card: "Card: 100% it's, [x]; done" },
        ],
      };
      await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
    });

    after(async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('scales images and videos to the configured size and frame rate, payloads within the limit', async () => {
      await buildPrompts({ out: dir, manifest: path.join(dir, 'manifest.json') });
      expect((await stat(path.join(dir, 'image.ulaw'))).size).to.be.within(11_900, 12_100);
      for (const name of ['image', 'clip']) {
        const file = await readFile(path.join(dir, `${name}.h264`));
        const stats = videoFileStats(readAsteriskVideo(file));
        const seconds = (await stat(path.join(dir, `${name}.ulaw`))).size / 8000;
        expect(stats.frames, name).to.equal(Math.round(seconds * 10));
        expect(stats.maxPayload, name).to.be.at.most(500);
        const { annexB } = h264FileToAnnexB(file);
        const { stdout } = await run(
          'ffprobe',
          ['-v', 'error', '-f', 'h264', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', 'pipe:0'],
          { input: annexB },
        );
        expect(stdout.toString().trim(), name).to.equal('320,240');
        const vp8 = vp8FileToIvf(await readFile(path.join(dir, `${name}.vp8`)), 320, 240, 10);
        expect(await decodedFrameCount(vp8.ivf, 'ivf'), name).to.equal(stats.frames);
      }
    });

    it('rebuilds only the entry that changed, and removes video when an entry loses it', async () => {
      const file = path.join(dir, 'manifest.json');
      const manifest = JSON.parse(await readFile(file, 'utf8')) as { prompts: Record<string, unknown>[] };
      delete manifest.prompts[2]!.card;
      await writeFile(file, JSON.stringify(manifest));
      const report = await buildPrompts({ out: dir, manifest: file });
      expect(report.prompts.map((p) => [p.name, p.status])).to.deep.equal([
        ['image', 'up-to-date'],
        ['clip', 'up-to-date'],
        ['plain', 'built'],
      ]);
      await stat(path.join(dir, 'plain.ulaw'));
      const gone = await stat(path.join(dir, 'plain.h264')).then(
        () => false,
        () => true,
      );
      expect(gone, 'stale plain.h264 removed').to.equal(true);
    });

    it('rebuilds when a source file changes', async () => {
      await ffmpeg(['-f', 'lavfi', '-i', 'sine=f=660:d=1:r=48000', path.join(dir, 'tone.wav')]);
      const report = await buildPrompts({ out: dir, manifest: path.join(dir, 'manifest.json') });
      expect(report.prompts.filter((p) => p.status === 'built').map((p) => p.name)).to.deep.equal(['image']);
      expect((await stat(path.join(dir, 'image.ulaw'))).size).to.be.within(7_900, 8_100);
    });
  });

  describe('renderSpeech', () => {
    it('renders text once into every audio format and serves it from the cache afterwards', async () => {
      const text = `Your balance is ${Date.now() % 1000} euros.`;
      const [first, concurrent] = await Promise.all([
        renderSpeech(text, { out }),
        renderSpeech(text, { out }),
      ]);
      expect(first.name).to.match(/^tts-[0-9a-f]{16}$/);
      expect(concurrent).to.equal(first);
      expect(first.rendered).to.equal(true);
      for (const format of AUDIO_FORMATS)
        expect((await stat(`${first.path}.${format}`)).size).to.be.above(4000);
      const again = await renderSpeech(text, { out });
      expect(again).to.deep.equal({ ...first, rendered: false });
      const otherVoice = await renderSpeech(text, { out, voice: 'en-gb' });
      expect(otherVoice.name).to.not.equal(first.name);
    });
  });

  it('the manifest in the repository is the one the CLI builds by default', () => {
    expect(DEFAULT_MANIFEST.endsWith(path.join('asterisk', 'prompts', 'manifest.json'))).to.equal(true);
  });
});
