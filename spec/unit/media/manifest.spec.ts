import { expect } from '../../support/chai';
import {
  numberPrompts,
  numberWordNames,
  positionAnnouncement,
  waitAnnouncement,
} from '../../../stasis-app/media/announce';
import { resolvePrompt } from '../../../stasis-app/media/build';
import {
  DEFAULT_MANIFEST,
  ManifestError,
  loadManifest,
  parseManifest,
} from '../../../stasis-app/media/manifest';
import { wrapCardText } from '../../../stasis-app/media/video';

describe('prompt manifest', () => {
  it('the repository manifest is valid and lists the demo prompts and every number word', async () => {
    const manifest = await loadManifest(DEFAULT_MANIFEST);
    const names = new Set(manifest.prompts.map((prompt) => prompt.name));
    const required = [
      'hello',
      'welcome',
      'menu',
      'queue-music',
      'invalid',
      'no-input',
      'goodbye',
      'agent-unavailable',
      'callback-confirm',
      'timeout',
      'queue-position',
      'wait-about',
      'wait-under-minute',
      'minute',
      'minutes',
      ...numberWordNames(),
    ];
    expect(required.filter((name) => !names.has(name))).to.deep.equal([]);
    const withVideo = manifest.prompts
      .filter((p) => p.card !== undefined || p.videoFile !== undefined)
      .map((p) => p.name);
    expect(withVideo).to.include.members(['hello', 'welcome', 'queue-music']);
    const music = manifest.prompts.find((prompt) => prompt.name === 'queue-music');
    expect(music?.melody?.seconds).to.be.within(8, 12);
  });

  it('applies defaults and resolves source paths against the manifest folder', () => {
    const manifest = parseManifest({
      prompts: [{ name: 'x', audioFile: 'media/x.wav', videoFile: 'media/x.png' }],
    });
    expect(manifest.defaults).to.include({
      voice: 'en-us',
      width: 640,
      height: 360,
      fps: 15,
      maxPayload: 1200,
    });
    const prompt = resolvePrompt(manifest.prompts[0]!, manifest.defaults, '/base');
    expect(prompt.audio).to.deep.equal({ kind: 'file', path: '/base/media/x.wav' });
    expect(prompt.video).to.deep.equal({ kind: 'file', path: '/base/media/x.png' });
    const spoken = parseManifest({
      defaults: { pause: 0.5 },
      prompts: [
        { name: 'a', text: 'hi' },
        { name: 'b', text: 'x', pause: 0 },
      ],
    });
    expect(resolvePrompt(spoken.prompts[0]!, spoken.defaults, '/').audio).to.deep.include({
      kind: 'speech',
      pause: 0.5,
    });
    expect(resolvePrompt(spoken.prompts[1]!, spoken.defaults, '/').audio).to.deep.include({ pause: 0 });
  });

  it('rejects entries with precise messages', () => {
    const bad = (prompts: unknown[], pattern: RegExp): void => {
      expect(() => parseManifest({ prompts }, 'm.json')).to.throw(ManifestError, pattern);
    };
    bad([{ name: 'a' }], /exactly one of text, audioFile, melody/);
    bad([{ name: 'a', text: 'x', melody: { seconds: 5 } }], /exactly one of/);
    bad([{ name: 'A b', text: 'x' }], /lower-case letters/);
    bad([{ name: 'a', text: 'x', card: 'c', videoFile: 'v.mp4' }], /mutually exclusive/);
    bad([{ name: 'a', text: 'x', audioFile: '../../etc/passwd' }], /inside asterisk\/prompts/);
    bad([{ name: 'a', text: 'x', background: 'red:x' }], /colour/);
    bad(
      [
        { name: 'a', text: 'x' },
        { name: 'a', text: 'y' },
      ],
      /duplicate prompt a/,
    );
    bad([{ name: 'a', text: 'x', extra: 1 }], /extra/);
  });
});

describe('queue announcements', () => {
  it('composes numbers from number words', () => {
    expect(numberPrompts(0)).to.deep.equal(['num-0']);
    expect(numberPrompts(7)).to.deep.equal(['num-7']);
    expect(numberPrompts(20)).to.deep.equal(['num-20']);
    expect(numberPrompts(21)).to.deep.equal(['num-20', 'num-1']);
    expect(numberPrompts(90)).to.deep.equal(['num-90']);
    expect(numberPrompts(100)).to.deep.equal(['num-1', 'num-hundred']);
    expect(numberPrompts(235)).to.deep.equal(['num-2', 'num-hundred', 'num-30', 'num-5']);
    expect(numberPrompts(512)).to.deep.equal(['num-5', 'num-hundred', 'num-12']);
    expect(() => numberPrompts(1000)).to.throw(RangeError);
    expect(() => numberPrompts(1.5)).to.throw(RangeError);
  });

  it('uses only number words the manifest provides', () => {
    const words = new Set(numberWordNames());
    for (let n = 0; n <= 999; n += 1) {
      for (const name of numberPrompts(n)) expect(words.has(name), `${n}: ${name}`).to.equal(true);
    }
  });

  it('announces position and expected wait in minutes', () => {
    expect(positionAnnouncement(3)).to.deep.equal(['queue-position', 'num-3']);
    expect(positionAnnouncement(5000)).to.deep.equal([
      'queue-position',
      'num-9',
      'num-hundred',
      'num-90',
      'num-9',
    ]);
    expect(waitAnnouncement(20)).to.deep.equal(['wait-under-minute']);
    expect(waitAnnouncement(60)).to.deep.equal(['wait-about', 'num-1', 'minute']);
    expect(waitAnnouncement(250)).to.deep.equal(['wait-about', 'num-4', 'minutes']);
  });
});

describe('text cards', () => {
  it('wraps at word boundaries and keeps explicit line breaks', () => {
    expect(wrapCardText('Please hold\nAn agent will be with you shortly', 28)).to.deep.equal([
      'Please hold',
      'An agent will be with you',
      'shortly',
    ]);
    expect(wrapCardText('one\n\ntwo', 10)).to.deep.equal(['one', 'two']);
  });
});
