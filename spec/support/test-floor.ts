import { readFileSync } from 'node:fs';

/**
 * The verdict on a whole mocha run for scripts/test.sh: mocha's own counts, plus a failure when it
 * reported nothing (a `.only` under --forbid-only aborts the load, so no counts are written), no tests,
 * or fewer passes than the floor kept in spec/test-floor.json. Without the floor, specs that stop being
 * found (a glob, a rename, a describe turned pending) would make CI greener, not redder.
 */
export interface MochaCounts {
  passed: number;
  failed: number;
  skipped: number;
}
export interface RunVerdict extends MochaCounts {
  /** One line per extra failure, for the log. */
  problems: string[];
}

/**
 * @param counts mocha's counts, undefined when it wrote none
 * @param mochaRc mocha's exit code
 * @param floor minimum passing count, undefined when not applied (mocha was given arguments: a partial run)
 */
export function judgeRun(
  counts: MochaCounts | undefined,
  mochaRc: number,
  floor: number | undefined,
): RunVerdict {
  if (counts === undefined) {
    return {
      passed: 0,
      failed: 1,
      skipped: 0,
      problems: [
        `mocha exited ${mochaRc} without reporting counts (a .only under --forbid-only, or a spec that failed to load): see its output above`,
      ],
    };
  }
  const problems: string[] = [];
  if (counts.passed + counts.failed + counts.skipped === 0) problems.push('mocha reported no tests');
  else if (floor !== undefined && counts.passed < floor) {
    problems.push(
      `mocha passed ${counts.passed} tests, below the floor of ${floor} in spec/test-floor.json: specs were lost (not found, skipped or removed)`,
    );
  }
  return { ...counts, failed: counts.failed + problems.length, problems };
}

/** The floor file's minimum, checked: a non-negative integer. */
export function readFloor(file: string): number {
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const min =
    typeof parsed === 'object' && parsed !== null
      ? (parsed as { minPassing?: unknown }).minPassing
      : undefined;
  if (typeof min !== 'number' || !Number.isInteger(min) || min < 0) {
    throw new Error(`${file}: minPassing must be a non-negative integer`);
  }
  return min;
}

function readCounts(file: string): MochaCounts | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const s = JSON.parse(text) as Partial<MochaCounts>;
  return { passed: Number(s.passed ?? 0), failed: Number(s.failed ?? 0), skipped: Number(s.skipped ?? 0) };
}

/**
 * CLI for scripts/test.sh: `tsx spec/support/test-floor.ts STATS_FILE MOCHA_RC FLOOR_FILE|-`
 * prints `passed failed skipped` on stdout and each problem on stderr ("-": no floor, a partial run).
 */
if (require.main === module) {
  const [statsFile = '', rc = '1', floorFile = '-'] = process.argv.slice(2);
  const floor = floorFile === '-' ? undefined : readFloor(floorFile);
  if (floor === undefined) console.error('test floor not applied: mocha was given arguments (a partial run)');
  const v = judgeRun(readCounts(statsFile), Number(rc), floor);
  for (const p of v.problems) console.error(`FAILED: ${p}`);
  console.log(`${v.passed} ${v.failed} ${v.skipped}`);
}
