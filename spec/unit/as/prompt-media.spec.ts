import { expect } from '../../support/chai';
import { extensionFor, wavOf } from '../../../as/plugins/admin/prompts/media-files';
import { promptDirFrom } from '../../../as/plugins/admin/prompts/upload';

describe('AS prompt media helpers', () => {
  it('wraps 16 kHz mono 16-bit PCM in a 44-byte WAV header with the right sizes and rate', () => {
    const pcm = Buffer.alloc(32_000, 1);
    const wav = wavOf(pcm);
    expect(wav.length).to.equal(44 + 32_000);
    expect(wav.subarray(0, 4).toString('ascii')).to.equal('RIFF');
    expect(wav.readUInt32LE(4)).to.equal(36 + 32_000);
    expect(wav.subarray(8, 16).toString('ascii')).to.equal('WAVEfmt ');
    expect([
      wav.readUInt16LE(20),
      wav.readUInt16LE(22),
      wav.readUInt32LE(24),
      wav.readUInt32LE(28),
    ]).to.deep.equal([1, 1, 16_000, 32_000]);
    expect([wav.readUInt16LE(32), wav.readUInt16LE(34)]).to.deep.equal([2, 16]);
    expect(wav.subarray(36, 40).toString('ascii')).to.equal('data');
    expect(wav.readUInt32LE(40)).to.equal(32_000);
    expect(wav.subarray(44).equals(pcm)).to.equal(true);
  });

  it('names a still picture by its format (the builder loops pictures by extension); anything else is media', () => {
    const probe = (formatName: string) => ({ formatName, durationSec: undefined, audio: false, video: true });
    expect(extensionFor(probe('png_pipe'))).to.equal('.png');
    expect(extensionFor(probe('jpeg_pipe'))).to.equal('.jpg');
    expect(extensionFor(probe('mov,mp4,m4a,3gp,3g2,mj2'))).to.equal('.media');
  });

  it('builds into ASTERISK_SOUNDS_DIR/ipcc, where the IVR plays sound:ipcc/<name>', () => {
    expect(promptDirFrom({ ASTERISK_SOUNDS_DIR: '/srv/sounds' })).to.equal('/srv/sounds/ipcc');
    expect(promptDirFrom({})).to.equal('/var/lib/ipcc/sid/usr/share/asterisk/sounds/ipcc');
  });
});
