'use strict';
// Mocha's spec output, plus the run's counts written to a file for scripts/test.sh, which adds the
// type-check and lint results and prints the one closing line `N passed, N failed`.
const fs = require('node:fs');
const Mocha = require('mocha');

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    // The failures' titles and first lines go into the stats file too: the test script prints them
    // last, where a CI that keeps only the tail of the output still shows which tests failed.
    const failures = [];
    runner.on(Mocha.Runner.constants.EVENT_TEST_FAIL, (test, err) => {
      const first = String((err && err.message) || err)
        .split('\n')[0]
        .slice(0, 300);
      failures.push(`${test.fullTitle()}: ${first}`);
    });
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const out = process.env.TEST_STATS_FILE;
      if (!out) return;
      const { passes, failures: failedCount, pending } = runner.stats;
      fs.writeFileSync(
        out,
        JSON.stringify({ passed: passes, failed: failedCount, skipped: pending, failures }),
      );
    });
  }
}
module.exports = SummaryReporter;
