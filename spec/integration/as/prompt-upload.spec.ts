import { execFile } from 'node:child_process';
import { existsSync, readlinkSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from '../../support/chai';
import { AuditLog } from '../../../as/models';
import { checkPrompt } from '../../../stasis-app/media/check';
import { body, setUp, tearDown, type Fixture } from './fixture';

const run = promisify(execFile);

interface Part {
  name: string;
  value?: string;
  file?: { filename: string; type: string; data: Buffer };
}

/** A multipart/form-data body, as a browser's FormData sends it. */
function multipart(parts: Part[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----ipcc${Date.now().toString(16)}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = p.file
      ? `form-data; name="${p.name}"; filename="${p.file.filename}"\r\nContent-Type: ${p.file.type}`
      : `form-data; name="${p.name}"`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n\r\n`));
    chunks.push(p.file ? p.file.data : Buffer.from(p.value ?? ''));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/**
 * Prompt upload (issue 13): the AS takes audio and/or video as multipart, checks each part's declared type
 * and its content, builds it with the project's prompt builder into the folder Asterisk plays from
 * (ASTERISK_SOUNDS_DIR/ipcc, here a temporary one), registers it (audited) and serves a browser preview.
 */
describe('AS prompt upload (integration)', function () {
  this.timeout(60_000);
  let f: Fixture;
  let sounds: string;
  let media: string;
  let wav = Buffer.alloc(0);
  let png = Buffer.alloc(0);
  const saved = process.env.ASTERISK_SOUNDS_DIR;

  before(async () => {
    sounds = await mkdtemp(path.join(os.tmpdir(), 'ipcc-sounds-'));
    media = await mkdtemp(path.join(os.tmpdir(), 'ipcc-upload-src-'));
    process.env.ASTERISK_SOUNDS_DIR = sounds;
    const ff = ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi'];
    await run('ffmpeg', [
      ...ff,
      '-i',
      'sine=frequency=440:duration=1',
      '-ar',
      '16000',
      path.join(media, 'a.wav'),
    ]);
    await run('ffmpeg', [...ff, '-i', 'color=c=red:s=320x240', '-frames:v', '1', path.join(media, 'v.png')]);
    wav = await readFile(path.join(media, 'a.wav'));
    png = await readFile(path.join(media, 'v.png'));
    f = await setUp();
  });
  after(async () => {
    await tearDown(f);
    if (saved === undefined) delete process.env.ASTERISK_SOUNDS_DIR;
    else process.env.ASTERISK_SOUNDS_DIR = saved;
    await rm(sounds, { recursive: true, force: true });
    await rm(media, { recursive: true, force: true });
  });

  const upload = (token: string, parts: Part[]) => {
    const { payload, headers } = multipart(parts);
    return f.server.inject({
      method: 'POST',
      url: '/api/v1/prompts/upload',
      headers: { ...headers, authorization: `Bearer ${token}` },
      payload,
    });
  };
  const audioPart = (data = wav, type = 'audio/wav'): Part => ({
    name: 'audio',
    file: { filename: 'a.wav', type, data },
  });
  const videoPart = (): Part => ({
    name: 'video',
    file: { filename: 'v.png', type: 'image/png', data: png },
  });

  it('builds audio + picture into every Asterisk format, links the codec folders, registers and audits it', async () => {
    const res = await upload(f.tokens.admin, [
      { name: 'name', value: 'upload-card' },
      { name: 'description', value: 'Test card' },
      audioPart(),
      videoPart(),
    ]);
    expect(res.statusCode, res.payload).to.equal(201);
    const made = body<{ id: string; name: string; formats: string[]; description: string }>(res);
    expect(made).to.include({ name: 'upload-card', description: 'Test card' });
    expect(made.formats).to.deep.equal(['sln16', 'ulaw', 'alaw', 'g722', 'h264', 'vp8']);
    const dir = path.join(sounds, 'ipcc');
    for (const ext of made.formats)
      expect(existsSync(path.join(dir, `upload-card.${ext}`)), ext).to.equal(true);
    expect(readlinkSync(path.join(dir, 'h264', 'upload-card.h264'))).to.equal('../upload-card.h264');
    expect(readlinkSync(path.join(dir, 'vp8', 'upload-card.ulaw'))).to.equal('../upload-card.ulaw');
    const check = await checkPrompt(dir, 'upload-card', { width: 640, height: 360, fps: 15 });
    expect(check.audioMs).to.equal(1000);
    expect(check.video?.frames).to.equal(15);
    expect(check.video?.h264Decoded).to.equal(15);
    const audit = await AuditLog.find({ entity: 'prompt', entityId: made.id }).lean();
    expect(audit.map((a) => [a.action, a.actor])).to.deep.equal([['create', f.ids.admin]]);
  });

  it('serves the built prompt for the preview: WAV for audio, WebM for video', async () => {
    const list = body<{ id: string; name: string }[]>(
      await f.server.inject({
        method: 'GET',
        url: '/api/v1/prompts',
        headers: { authorization: `Bearer ${f.tokens.admin}` },
      }),
    );
    const id = list.find((p) => p.name === 'upload-card')?.id;
    const get = (kind: string) =>
      f.server.inject({
        method: 'GET',
        url: `/api/v1/prompts/${id}/media/${kind}`,
        headers: { authorization: `Bearer ${f.tokens.admin}` },
      });
    const audio = await get('audio');
    expect(audio.statusCode).to.equal(200);
    expect(audio.headers['content-type']).to.equal('audio/wav');
    expect(audio.rawPayload.subarray(0, 4).toString('ascii')).to.equal('RIFF');
    expect(audio.rawPayload.length).to.equal(44 + 32_000);
    const video = await get('video');
    expect(video.statusCode).to.equal(200);
    expect(video.headers['content-type']).to.equal('video/webm');
    expect(video.rawPayload.subarray(0, 4).toString('hex')).to.equal('1a45dfa3');
    const unauth = await f.server.inject({ method: 'GET', url: `/api/v1/prompts/${id}/media/audio` });
    expect(unauth.statusCode).to.equal(401);
  });

  it('refuses what is not an admin, not a name, not audio, not a file, a duplicate and an oversized body', async () => {
    expect(
      (await upload(f.tokens.supervisor, [{ name: 'name', value: 'x1' }, audioPart()])).statusCode,
    ).to.equal(403);

    const noFile = await upload(f.tokens.admin, [{ name: 'name', value: 'x2' }]);
    expect(noFile.statusCode).to.equal(400);
    expect(body(noFile).details).to.deep.equal([
      { path: 'audio', message: 'give an audio file, a video file or both' },
    ]);

    const badName = await upload(f.tokens.admin, [{ name: 'name', value: 'Bad Name' }, audioPart()]);
    expect(badName.statusCode).to.equal(400);
    expect(body<{ details: { path: string }[] }>(badName).details.map((d) => d.path)).to.deep.equal(['name']);

    const wrongType = await upload(f.tokens.admin, [
      { name: 'name', value: 'x3' },
      audioPart(wav, 'text/plain'),
    ]);
    expect(wrongType.statusCode).to.equal(400);
    expect(body(wrongType).message).to.equal('audio: files of type "text/plain" are not accepted');

    const garbage = await upload(f.tokens.admin, [
      { name: 'name', value: 'x4' },
      audioPart(Buffer.from('not audio at all')),
    ]);
    expect(garbage.statusCode).to.equal(400);
    expect(body(garbage).message).to.equal(
      'audio: "a.wav" is not in an accepted format ' +
        '(WAV, MP3, Ogg, FLAC, AAC, MP4/M4A/MOV, WebM/Matroska, and PNG/JPEG for video)',
    );

    const silentVideo = await upload(f.tokens.admin, [{ name: 'name', value: 'x5' }, videoPart()]);
    expect(silentVideo.statusCode).to.equal(400);
    expect(body(silentVideo).message).to.equal('the video has no sound: add an audio file');

    const textAsFile = await upload(f.tokens.admin, [
      { name: 'name', value: 'x6' },
      { name: 'audio', value: 'hello' },
    ]);
    expect(textAsFile.statusCode).to.equal(400);
    expect(body(textAsFile).message).to.equal('"audio" must be a file');

    const dup = await upload(f.tokens.admin, [{ name: 'name', value: 'upload-card' }, audioPart()]);
    expect(dup.statusCode).to.equal(409);

    const big = await upload(f.tokens.admin, [
      { name: 'name', value: 'x7' },
      audioPart(Buffer.alloc(21 * 1024 * 1024)),
    ]);
    expect(big.statusCode).to.equal(413);
    expect(existsSync(path.join(sounds, 'ipcc', 'x4.ulaw'))).to.equal(false);
  });
});
