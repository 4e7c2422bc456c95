import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from '../../support/chai';
import { body, setUp, tearDown, type Fixture } from './fixture';

/** A multipart/form-data body as a browser's FormData sends it (two parts may share a name). */
function multipart(
  parts: { name: string; value?: string; file?: { filename: string; type: string; data?: Buffer } }[],
) {
  const boundary = `----review13${Date.now().toString(16)}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = p.file
      ? `form-data; name="${p.name}"; filename="${p.file.filename}"\r\nContent-Type: ${p.file.type}`
      : `form-data; name="${p.name}"`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n\r\n`));
    chunks.push(p.file?.data ?? Buffer.from(p.value ?? 'RIFF-not-really-audio'));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** hapi's temporary upload files of this process: `<ms>-<pid>-<hex>` in the temporary folder. */
async function uploadTempFiles(): Promise<string[]> {
  const mine = new RegExp(`^\\d+-${process.pid}-[0-9a-f]+$`);
  return (await readdir(os.tmpdir())).filter((n) => mine.test(n));
}

/**
 * Review of issue 13 (prompt upload, as/plugins/admin/prompts/upload-routes.ts): a refused upload must
 * leave no temporary file behind, whatever the shape of the body, and a name cannot leave the prompt
 * folder.
 */
describe('review 13: prompt upload refusals (integration)', function () {
  this.timeout(30_000);
  let f: Fixture;
  let work: string;
  const saved = process.env.ASTERISK_SOUNDS_DIR;
  before(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'review13-'));
    process.env.ASTERISK_SOUNDS_DIR = path.join(work, 'sounds');
    f = await setUp();
  });
  after(async () => {
    await tearDown(f);
    if (saved === undefined) delete process.env.ASTERISK_SOUNDS_DIR;
    else process.env.ASTERISK_SOUNDS_DIR = saved;
    await rm(work, { recursive: true, force: true });
  });

  const post = (parts: Parameters<typeof multipart>[0], token = f.tokens.admin) => {
    const { payload, contentType } = multipart(parts);
    return f.server.inject({
      method: 'POST',
      url: '/api/v1/prompts/upload',
      headers: { 'content-type': contentType, authorization: `Bearer ${token}` },
      payload,
    });
  };

  it('refuses a name with a path in it (400 naming the field)', async () => {
    const res = await post([
      { name: 'name', value: '../../evil' },
      { name: 'audio', file: { filename: 'a.wav', type: 'audio/wav' } },
    ]);
    expect(res.statusCode, res.payload).to.equal(400);
    expect(JSON.stringify(body(res))).to.contain('name');
    expect(await uploadTempFiles()).to.deep.equal([]);
  });

  it("removes the temporary file of a supervisor's refused upload (403)", async () => {
    const res = await post(
      [
        { name: 'name', value: 'review13-not-admin' },
        { name: 'audio', file: { filename: 'a.wav', type: 'audio/wav' } },
      ],
      f.tokens.supervisor,
    );
    expect(res.statusCode, res.payload).to.equal(403);
    expect(await uploadTempFiles()).to.deep.equal([]);
  });

  it('removes the temporary files of two parts sent under one name (400)', async () => {
    const before = await uploadTempFiles();
    const res = await post([
      { name: 'name', value: 'review13-twice' },
      { name: 'audio', file: { filename: 'a.wav', type: 'audio/wav' } },
      { name: 'audio', file: { filename: 'b.wav', type: 'audio/wav' } },
    ]);
    expect(res.statusCode, res.payload).to.equal(400);
    const left = (await uploadTempFiles()).filter((n) => !before.includes(n));
    expect(left, 'temporary upload files left in the temporary folder').to.deep.equal([]);
  });

  it('refuses a playlist that makes ffmpeg read another file of the server (400)', async () => {
    // A media file elsewhere on the server (a recording, another upload): the playlist names it by path.
    const elsewhere = path.join(work, 'elsewhere.mp3');
    await promisify(execFile)('ffmpeg', [
      ...['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi'],
      ...['-i', 'sine=frequency=300:duration=2', elsewhere],
    ]);
    const playlist = `#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\n${elsewhere}\n#EXT-X-ENDLIST\n`;
    const res = await post([
      { name: 'name', value: 'review13-playlist' },
      { name: 'audio', file: { filename: 'a.mp3', type: 'audio/mpeg', data: Buffer.from(playlist) } },
    ]);
    expect(res.statusCode, res.payload).to.equal(400);
    expect(body<{ message: string }>(res).message).to.equal(
      'audio: "a.mp3" is not in an accepted format ' +
        '(WAV, MP3, Ogg, FLAC, AAC, MP4/M4A/MOV, WebM/Matroska, and PNG/JPEG for video)',
    );
    const built = await readFile(path.join(work, 'sounds', 'ipcc', 'review13-playlist.sln16')).catch(
      () => null,
    );
    expect(built, 'a prompt built from the server file').to.equal(null);
  });
});
