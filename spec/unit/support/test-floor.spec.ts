import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from '../../support/chai';
import { judgeRun, readFloor } from '../../support/test-floor';

describe('test floor: the verdict scripts/test.sh gives a mocha run', () => {
  it('keeps a run at or above the floor as mocha counted it', () => {
    expect(judgeRun({ passed: 1401, failed: 0, skipped: 1 }, 0, 1390)).to.deep.equal({
      passed: 1401,
      failed: 0,
      skipped: 1,
      problems: [],
    });
    expect(judgeRun({ passed: 1390, failed: 2, skipped: 0 }, 1, 1390).failed).to.equal(2);
  });

  it('counts a run below the floor as one more failure, with a line saying so', () => {
    const v = judgeRun({ passed: 1389, failed: 0, skipped: 12 }, 0, 1390);
    expect(v.failed).to.equal(1);
    expect(v.passed).to.equal(1389);
    expect(v.problems).to.have.length(1);
    expect(v.problems[0]).to.contain('passed 1389 tests, below the floor of 1390');
  });

  it('fails a run with no tests, floor or not', () => {
    expect(judgeRun({ passed: 0, failed: 0, skipped: 0 }, 0, undefined)).to.deep.equal({
      passed: 0,
      failed: 1,
      skipped: 0,
      problems: ['mocha reported no tests'],
    });
  });

  it('fails a run where mocha wrote no counts (a .only under --forbid-only aborts the load)', () => {
    const v = judgeRun(undefined, 1, 1390);
    expect([v.passed, v.failed, v.skipped]).to.deep.equal([0, 1, 0]);
    expect(v.problems[0]).to.contain('mocha exited 1 without reporting counts');
  });

  it('does not apply the floor to a partial run', () => {
    expect(judgeRun({ passed: 5, failed: 0, skipped: 0 }, 0, undefined).failed).to.equal(0);
  });

  it('reads the repository floor, and refuses a floor that is not a non-negative integer', () => {
    const file = path.resolve(__dirname, '..', '..', 'test-floor.json');
    const floor = readFloor(file);
    // At most the mocha passes the file says were measured when it was set (its `measured` text).
    const measured = (JSON.parse(readFileSync(file, 'utf8')) as { measured: string }).measured;
    const passes = Number(/^([0-9,]+) mocha passes/.exec(measured)?.[1]?.replace(/,/g, ''));
    expect(floor).to.be.a('number').within(1000, passes);
    const dir = mkdtempSync(path.join(tmpdir(), 'ipcc-floor-'));
    const bad = path.join(dir, 'floor.json');
    writeFileSync(bad, '{"minPassing": "1390"}');
    expect(() => readFloor(bad)).to.throw('minPassing must be a non-negative integer');
  });
});
