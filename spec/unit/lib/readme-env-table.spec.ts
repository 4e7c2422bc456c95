import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from '../../support/chai';
import { END, START, tableLines, withTable } from '../../../scripts/env-table/readme';
import { SETTINGS } from '../../../lib/settings-catalogue';

const ROOT = path.resolve(__dirname, '../../..');

describe("README's environment table", () => {
  it('is what scripts/env-table-readme.ts generates', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    // On failure: npx tsx scripts/env-table-readme.ts
    expect(readme).to.equal(withTable(readme, ROOT));
  });

  it('has a row per catalogued variable', () => {
    expect(tableLines(ROOT)).to.have.length(SETTINGS.length + 2);
  });

  it('refuses a README without the markers', () => {
    expect(() => withTable('# no markers\n', ROOT)).to.throw(/lacks the markers/);
    expect(withTable(`a\n${START}\nold\n${END}\nb\n`, ROOT)).to.not.include('\nold\n');
  });
});
