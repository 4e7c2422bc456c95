#!/usr/bin/env bash
# Fault injection, long form: brings the system up (up.sh), then runs scripts/fault.ts with the given
# options (--reps N --talking N --queued N --ivr N --faults a,b --out FILE.md) and writes
# bench/results/fault-injection.json and the report rendered from it, fault-injection.md.
# It kills and restarts the project's processes, Asterisk, RabbitMQ and the document store: run it
# under the system lock on a machine nobody else is using. The system is left up, every demo agent
# signed out, the extra talking agents removed.
source "$(dirname "$0")/lib.sh"
bash "$IPCC_ROOT/scripts/up.sh" >"$IPCC_RUN/logs/fault-up.log" 2>&1 || die "up.sh failed (see $IPCC_RUN/logs/fault-up.log)"
load_env
cd "$IPCC_ROOT"
exec ./node_modules/.bin/tsx scripts/fault.ts "$@"
