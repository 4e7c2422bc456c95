import { expect } from '../../support/chai';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { STRINGS, STRING_PARTS } from '../../../agent-ui/src/strings';

const SRC = path.resolve(__dirname, '../../../agent-ui/src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.tsx?$/.test(e.name) && e.name !== 'strings.ts' ? [p] : [];
  });
}

describe('agent-ui strings', () => {
  it('every string is non-empty text, every template gives text with its argument in it', () => {
    for (const [key, value] of Object.entries(STRINGS)) {
      if (typeof value === 'function') {
        const out = (value as (...a: unknown[]) => unknown)('ARG', 'ARG');
        expect(out, key).to.be.a('string').and.include('ARG');
        expect((out as string).replace('ARG', '').trim(), key).to.not.equal('');
      } else {
        expect(value, key).to.be.a('string');
        expect(value.trim(), key).to.not.equal('');
      }
    }
  });

  it('no key is defined in two parts of the strings module (STRINGS would keep only the last)', () => {
    const owner = new Map<string, string>();
    const twice: string[] = [];
    for (const [part, strings] of Object.entries(STRING_PARTS)) {
      for (const key of Object.keys(strings)) {
        const first = owner.get(key);
        if (first !== undefined) twice.push(`${key}: ${first} and ${part}`);
        else owner.set(key, part);
      }
    }
    expect(twice).to.deep.equal([]);
    expect(owner.size).to.equal(Object.keys(STRINGS).length);
  });

  it('every string is used by the page (none left over)', () => {
    const code = sources(SRC)
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    // State and phase labels are looked up by name (state_<state>, phase_<phase>).
    const dynamic = /^(phase_)/;
    const unused = Object.keys(STRINGS).filter((k) => !dynamic.test(k) && !code.includes(`STRINGS.${k}`));
    expect(unused).to.deep.equal([]);
  });

  it('views carry no literal text: JSX text and accessible names come from the strings module', () => {
    const views = sources(path.join(SRC, 'views'));
    expect(views.length).to.be.greaterThan(5);
    const offenders: string[] = [];
    for (const file of views) {
      const text = readFileSync(file, 'utf8');
      // Text between tags that contains a letter, outside of {expressions} (`=>` is no tag's end).
      for (const m of text.matchAll(/(?<!=)>([^<>{}]*[A-Za-z][^<>{}]*)</g)) {
        const t = (m[1] ?? '').trim();
        // TypeScript generics (useState<...>(...)) look like tags to this scan: code has ;()= in it.
        if (t !== '' && !/[;()=]/.test(t)) {
          offenders.push(`${path.basename(file)}: "${t}"`);
        }
      }
      for (const m of text.matchAll(/(aria-label|title|placeholder)="([^"]*)"/g)) {
        offenders.push(`${path.basename(file)}: ${m[1]}="${m[2]}"`);
      }
    }
    expect(offenders).to.deep.equal([]);
  });

  it('has a label for every CTI agent state and contact phase', () => {
    for (const s of ['logged_out', 'not_ready', 'ready', 'reserved', 'ringing', 'talking', 'wrap_up']) {
      expect(STRINGS, s).to.have.property(`state_${s}`);
    }
    for (const p of ['offered', 'dialling', 'talking', 'held', 'consulting', 'conferenced']) {
      expect(STRINGS, p).to.have.property(`phase_${p}`);
    }
  });
});
