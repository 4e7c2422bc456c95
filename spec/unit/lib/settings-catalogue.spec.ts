import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from '../../support/chai';
import { NOT_SETTINGS, SETTINGS } from '../../../lib/settings-catalogue';
import { readersByName, scanReads } from '../../../scripts/env-table/scan';
import { drift, environmentMarkdown } from '../../../scripts/env-table/table';

const ROOT = path.resolve(__dirname, '../../..');

describe('settings catalogue: every environment variable in one table', () => {
  it('every variable the code reads is in the catalogue, and every entry is read somewhere', () => {
    expect(drift(ROOT)).to.deep.equal({ missing: [], unread: [] });
  });

  it('docs/operations/environment.md is what scripts/env-table.ts generates', () => {
    const committed = readFileSync(path.join(ROOT, 'docs/operations/environment.md'), 'utf8');
    // On failure: npx tsx scripts/env-table.ts > docs/operations/environment.md
    expect(committed).to.equal(environmentMarkdown(ROOT));
  });

  it('names are unique and every entry says what it means and its default', () => {
    const names = SETTINGS.map((s) => s.name);
    expect(new Set(names).size).to.equal(names.length);
    for (const s of SETTINGS) {
      expect(s.meaning, s.name).to.match(/\S/);
      expect(s.default, s.name).to.match(/\S/);
      expect(Object.hasOwn(NOT_SETTINGS, s.name), s.name).to.equal(false);
    }
  });

  it('the scan finds reads in code and scripts, and skips tests', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ipcc-env-scan-'));
    try {
      mkdirSync(path.join(dir, 'as'));
      mkdirSync(path.join(dir, 'scripts'));
      mkdirSync(path.join(dir, 'lib/supervise'), { recursive: true });
      writeFileSync(
        path.join(dir, 'as/main.ts'),
        "env('ONE_A', 'x'); envInt('TWO_B', 1); process.env.THREE_C; process.env['FOUR_D']; environment.FIVE_E; log.info('NOT_THIS');",
      );
      writeFileSync(path.join(dir, 'as/main.spec.ts'), "env('IN_A_TEST')");
      writeFileSync(path.join(dir, 'lib/supervise/main.ts'), "positiveInt('SIX_F', 2)");
      writeFileSync(path.join(dir, 'scripts/run.sh'), ': "${SEVEN_G:=1}"; echo "${EIGHT_H:-}" "$NO_DEFAULT"');
      const readers = readersByName(scanReads(dir));
      expect(Object.fromEntries(readers)).to.deep.equal({
        EIGHT_H: ['scripts'],
        FIVE_E: ['as'],
        FOUR_D: ['as'],
        ONE_A: ['as'],
        SEVEN_G: ['scripts'],
        SIX_F: ['supervisor'],
        THREE_C: ['as'],
        TWO_B: ['as'],
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
