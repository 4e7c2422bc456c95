#!/usr/bin/env bash
# Fault injection, long form: brings the system up (up.sh), then runs scripts/fault.ts with the given
# options (--reps N --queued N --ivr N --faults a,b --out FILE) and writes bench/results/fault-injection.md.
# It kills and restarts the project's processes, RabbitMQ and the document store: run it on a machine
# nobody else is using. The system is left up, every demo agent signed out.
source "$(dirname "$0")/lib.sh"
bash "$IPCC_ROOT/scripts/up.sh" >"$IPCC_RUN/logs/fault-up.log" 2>&1 || die "up.sh failed (see $IPCC_RUN/logs/fault-up.log)"
load_env
cd "$IPCC_ROOT"
exec ./node_modules/.bin/tsx scripts/fault.ts "$@"
