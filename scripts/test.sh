#!/usr/bin/env bash
# The test command: provisions what is missing, starts the servers and processes, type-checks, lints,
# runs every spec (unit and integration, on the real servers), stops what it started, and ends with
# the line `N passed, N failed`.
source "$(dirname "$0")/lib.sh"
bash "$IPCC_ROOT/scripts/provision/all.sh"
load_env
cd "$IPCC_ROOT"

# What was already running (a developer's `npm run up`) is left running; the rest is stopped at the end.
already=()
for p in "$IPCC_RUN"/pids/*.pid; do [ -f "$p" ] && kill -0 "$(cat "$p")" 2>/dev/null && already+=("$(basename "$p" .pid)"); done
cleanup() {
  local keep=" ${already[*]:-} "
  for s in cti softacd ivr as isag; do [[ $keep == *" $s "* ]] || bash scripts/services.sh stop "$s"; done
  [[ $keep == *" asterisk "* ]] || bash scripts/asterisk.sh stop
  [[ $keep == *" ferretdb "* ]] || bash scripts/docstore.sh stop
}
trap cleanup EXIT

checks_failed=0
failed_checks=()
run_check() {
  local name=$1; shift
  log "check: $name"
  if "$@" >"$IPCC_RUN/logs/check-$name.log" 2>&1; then log "check $name passed"; else
    checks_failed=$((checks_failed + 1)); failed_checks+=("$name"); log "check $name FAILED:"; tail -n 40 "$IPCC_RUN/logs/check-$name.log" >&2
  fi
}

if [ -f scripts/build-prompts.ts ]; then
  ./node_modules/.bin/tsx scripts/build-prompts.ts >"$IPCC_RUN/logs/build-prompts.log" 2>&1 || log "prompt build failed (see logs/build-prompts.log)"
fi
bash scripts/docstore.sh start
./node_modules/.bin/tsx as/seed.ts >"$IPCC_RUN/logs/seed.log" 2>&1 || log "seed failed (see logs/seed.log)"
./node_modules/.bin/tsx scripts/agent-endpoints.ts >>"$IPCC_RUN/logs/seed.log" 2>&1 || log "agent endpoints failed (see logs/seed.log)"
./node_modules/.bin/tsx scripts/fax-numbers.ts >>"$IPCC_RUN/logs/seed.log" 2>&1 || log "fax numbers failed (see logs/seed.log)"
bash scripts/docstore.sh tune || log "store tuning failed"
bash scripts/asterisk.sh start
# A CTI started here starts empty: a run never inherits an earlier run's queued contacts.
if [[ " ${already[*]:-} " != *" cti "* ]]; then
  ./node_modules/.bin/tsx scripts/reset-cti-state.ts >>"$IPCC_RUN/logs/seed.log" 2>&1 || log "CTI state reset failed (see logs/seed.log)"
fi
./node_modules/.bin/tsx agent-ui/build.ts >"$IPCC_RUN/logs/agent-ui-build.log" 2>&1 || log "agent-ui build failed (see logs/agent-ui-build.log)"
bash scripts/services.sh start
bash scripts/wait-ready.sh || log "services not ready: the specs below will say what fails"

run_check typecheck ./node_modules/.bin/tsc --noEmit -p tsconfig.json
run_check lint ./node_modules/.bin/eslint .
run_check format ./node_modules/.bin/prettier --check .

export TEST_STATS_FILE=$IPCC_RUN/test-stats.json
rm -f "$TEST_STATS_FILE"
set +e
./node_modules/.bin/mocha --forbid-only --reporter spec/support/summary-reporter.cjs \
  'spec/unit/**/*.spec.ts' 'spec/integration/**/*.spec.ts' 'spec/fault/**/*.spec.ts' 'spec/fuzz/**/*.spec.ts' "$@"
mocha_rc=$?
set -e
# No counts (mocha died, or a .only under --forbid-only), no tests, or passes below spec/test-floor.json's
# floor (full runs only) each count as a failure, logged by spec/support/test-floor.ts.
floor_file=spec/test-floor.json; [ "$#" -gt 0 ] && floor_file=-
counts=$(./node_modules/.bin/tsx spec/support/test-floor.ts "$TEST_STATS_FILE" "$mocha_rc" "$floor_file") || counts="0 1 0"
read -r passed failed skipped <<<"$counts"
passed=$((passed + 3 - checks_failed))
failed=$((failed + checks_failed))
if [ "$failed" -gt 0 ]; then
  for f in "$IPCC_RUN"/logs/{softacd,ivr,cti,as}.log; do [ -f "$f" ] && { echo "--- tail $f" >&2; tail -n 15 "$f" >&2; }; done
  # Which tests failed, printed last so that the tail of the output names them.
  if [ -f "$TEST_STATS_FILE" ]; then
    node -e 'for (const f of JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).failures || [])
      console.log("FAILED: " + f);' "$TEST_STATS_FILE"
  fi
  for c in "${failed_checks[@]}"; do echo "FAILED: check $c"; done
fi
trap - EXIT
cleanup >>"$IPCC_RUN/logs/test-cleanup.log" 2>&1
# The last line is exactly "N passed, N failed"; pending tests are said on the line before it.
[ "$skipped" -gt 0 ] && echo "$skipped skipped (pending: counted neither passed nor failed)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$mocha_rc" -eq 0 ]
