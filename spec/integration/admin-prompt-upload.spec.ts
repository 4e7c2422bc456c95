import { execFile } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { STRINGS } from '../../agent-ui/src/strings';
import { readAsteriskVideo } from '../../stasis-app/media/asterisk-video';
import { AsApi } from '../support/as-api';
import { PageLog, asUrl, demoPassword, launchBrowser, newContext, screenshot } from '../support/browser';
import { consoleSignIn } from '../support/console';
import { expect } from '../support/chai';
import { LoopbackCapture } from '../support/rtp-capture';
import { payloadHash } from '../support/rtp-pcap';
import { requireSystem } from '../support/servers';
import { sipp } from '../support/sipp';

const run = promisify(execFile);

/**
 * Issue 13: "a prompt uploaded through the page plays to a video caller (video packets counted)". An
 * administrator uploads a sound and a video in the console's Prompts page; the AS builds them with the
 * prompt builder into Asterisk's sounds folder and registers the prompt; the page previews it. A flow on
 * a fresh number plays it, and an H.264 sipp caller receives its video: the RTP payloads are compared
 * with the records of the built `.h264` file, so the packets counted are this prompt's.
 */
describe('uploaded prompt plays to a video caller', function () {
  this.timeout(120_000);
  const name = `upl-${randomBytes(3).toString('hex')}`;
  const number = `7${randomInt(10_000, 99_999)}`;
  const sounds = path.join(
    process.env.ASTERISK_SOUNDS_DIR ?? '/var/lib/ipcc/sid/usr/share/asterisk/sounds',
    'ipcc',
  );
  let dir = '';
  let browser: Browser | undefined;
  let as: AsApi;
  const made: { flow?: string; prompt?: string } = {};

  before(async () => {
    await requireSystem(['rabbitmq', 'asterisk', 'softacd', 'ivr', 'cti', 'docstore']);
    as = await AsApi.signIn('admin', await demoPassword());
    dir = await mkdtemp(path.join(os.tmpdir(), 'ipcc-upload-'));
    const ff = ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi'];
    await run('ffmpeg', [
      ...ff,
      '-i',
      'sine=frequency=330:duration=6',
      '-ar',
      '16000',
      path.join(dir, 'sound.wav'),
    ]);
    await run('ffmpeg', [
      ...[...ff, '-i', 'testsrc=size=320x240:rate=15:duration=2'],
      ...['-c:v', 'libx264', '-pix_fmt', 'yuv420p', path.join(dir, 'picture.mp4')],
    ]);
    browser = await launchBrowser({ video: false });
  });

  after(async () => {
    await browser?.close();
    if (made.flow) await as.request('DELETE', `/api/v1/ivr-flows/${made.flow}`);
    if (made.prompt) await as.request('DELETE', `/api/v1/prompts/${made.prompt}`);
    for (const sub of ['', 'h264', 'vp8']) {
      for (const ext of ['sln16', 'ulaw', 'alaw', 'g722', 'h264', 'vp8']) {
        await rm(path.join(sounds, sub, `${name}.${ext}`), { force: true });
      }
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('is uploaded and previewed in the page, then its video reaches an H.264 caller', async () => {
    const context = await newContext(browser!);
    const page = await context.newPage();
    const log = new PageLog(page, 'console');
    const fail = (e: Error): never => {
      throw new Error(`${e.message}\n${log.tail()}`);
    };
    await page.goto(`${asUrl()}/agent/console.html#/admin/prompts`);
    await consoleSignIn(page, 'admin');

    const form = page.getByRole('form', { name: STRINGS.adminUploadPrompt });
    await form.getByLabel(STRINGS.adminPromptName, { exact: true }).fill(name);
    await form.getByLabel(STRINGS.adminPromptDescription, { exact: true }).fill('Uploaded by the test');
    await form.getByLabel(STRINGS.adminAudioFile, { exact: true }).setInputFiles(path.join(dir, 'sound.wav'));
    await form
      .getByLabel(STRINGS.adminVideoFile, { exact: true })
      .setInputFiles(path.join(dir, 'picture.mp4'));
    const started = Date.now();
    await form.getByRole('button', { name: STRINGS.adminUpload, exact: true }).click();
    await page
      .getByRole('status')
      .getByText(STRINGS.adminPromptUploaded(name), { exact: true })
      .waitFor({ timeout: 60_000 })
      .catch(fail);
    const buildMs = Date.now() - started;

    // The preview plays the built files: 640x360 WebM as long as the sound.
    const video = page.getByRole('region', { name: STRINGS.adminPreviewOf(name) }).locator('video');
    const meta = await video.evaluate(
      (v: HTMLVideoElement) =>
        new Promise<{ w: number; h: number; d: number }>((resolve, reject) => {
          const done = () => resolve({ w: v.videoWidth, h: v.videoHeight, d: v.duration });
          if (v.readyState >= 1) done();
          v.addEventListener('loadedmetadata', done);
          v.addEventListener('error', () => reject(new Error(`preview error ${v.error?.message ?? ''}`)));
          setTimeout(() => reject(new Error('no preview metadata in 10 s')), 10_000);
        }),
    );
    expect([meta.w, meta.h]).to.deep.equal([640, 360]);
    expect(meta.d).to.be.within(5.9, 6.1);
    await screenshot(page, 'admin-prompts');
    await context.close();

    const prompt = (
      await as.ok<{ id: string; name: string; formats: string[] }[]>('GET', '/api/v1/prompts')
    ).find((p) => p.name === name);
    expect(prompt?.formats).to.deep.equal(['sln16', 'ulaw', 'alaw', 'g722', 'h264', 'vp8']);
    made.prompt = prompt!.id;

    const flow = await as.ok<{ id: string }>('POST', '/api/v1/ivr-flows', {
      name: `Uploaded prompt ${name}`,
      calledNumber: number,
      media: 'video',
      entry: 'show',
      nodes: [
        { id: 'show', type: 'play', prompt: name, next: 'bye' },
        { id: 'bye', type: 'hangup' },
      ],
    });
    made.flow = flow.id;

    const built = new Set(
      readAsteriskVideo(await readFile(path.join(sounds, `${name}.h264`))).map((r) => payloadHash(r.payload)),
    );
    const media = 16_700;
    const capture = new LoopbackCapture(dir, [{ name: 'caller', audio: media, video: media + 2 }]);
    await capture.start();
    const call = await sipp('ivr-video-caller.xml', {
      service: number,
      localPort: 5077,
      holdMs: 4000,
      vars: { caller: '15554440013', caller_name: 'Upload Viewer' },
      extra: ['-mp', String(media)],
    });
    const [counts] = await capture.counts();
    expect(call.code, call.stdout.slice(-600)).to.equal(0);
    const got = counts!.received.video;
    const fromPrompt = got.hashes.filter((h) => built.has(h)).length;
    console.log(
      `      build ${buildMs} ms; video to the caller: ${got.packets} packets (${fromPrompt} of them ` +
        `records of ${name}.h264, ${built.size} records in the file), ${got.markers} frames, ` +
        `payload types ${JSON.stringify(got.payloadTypes)}; audio ${counts!.received.audio.packets} packets`,
    );
    expect(Object.keys(got.payloadTypes)).to.deep.equal(['96']);
    expect(got.markers, 'video frames to the caller').to.be.greaterThan(30);
    expect(fromPrompt, 'packets that are records of the uploaded prompt').to.equal(got.packets);
  });
});
