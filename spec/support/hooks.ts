/**
 * Root hooks for every run: an unhandled rejection anywhere in the test process is a bug, so it fails
 * the test that was running rather than being printed and forgotten.
 */
let pending: unknown[] = [];
process.on('unhandledRejection', (reason) => {
  pending.push(reason);
});

export const mochaHooks = {
  afterEach(): void {
    if (pending.length === 0) return;
    const reasons = pending.map((r) => (r instanceof Error ? (r.stack ?? r.message) : String(r)));
    pending = [];
    throw new Error(`unhandled rejection during the test:\n${reasons.join('\n')}`);
  },
};
