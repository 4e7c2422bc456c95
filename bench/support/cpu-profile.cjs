/**
 * Preloaded with NODE_OPTIONS="--require bench/support/cpu-profile.cjs" (node refuses --cpu-prof there):
 * profiles the process from start to exit with the in-process inspector and writes
 * $IPCC_CPU_PROFILE_DIR/<script>.<pid>.cpuprofile, readable by bench/profile-summary.ts or Chrome DevTools.
 */
const inspector = require('node:inspector');
const fs = require('node:fs');
const path = require('node:path');

const dir = process.env.IPCC_CPU_PROFILE_DIR;
if (dir) {
  const session = new inspector.Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.start');
  const name = (process.argv[process.argv.length - 1] || 'node').replace(/[^\w.-]/g, '_');
  // The in-process session answers synchronously, so the profile can be written from the 'exit' event.
  process.on('exit', () => {
    session.post('Profiler.stop', (err, result) => {
      if (!err && result)
        fs.writeFileSync(path.join(dir, `${name}.${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
