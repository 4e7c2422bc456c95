'use strict';
// Mocha's spec output, plus the run's counts written to a file for scripts/test.sh, which adds the
// type-check and lint results and prints the one closing line `N passed, N failed`.
const fs = require('node:fs');
const Mocha = require('mocha');

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const out = process.env.TEST_STATS_FILE;
      if (!out) return;
      const { passes, failures, pending } = runner.stats;
      fs.writeFileSync(out, JSON.stringify({ passed: passes, failed: failures, skipped: pending }));
    });
  }
}
module.exports = SummaryReporter;
