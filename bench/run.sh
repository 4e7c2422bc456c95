#!/usr/bin/env bash
# npm run bench: every benchmark, each writing its report under bench/results/. The ones that drive the
# running system (Asterisk, the project's processes) take the system lock; -o so that the services they
# restart do not inherit the lock's descriptor. Extra arguments go to bench/full-path.ts.
set -euo pipefail
cd "$(dirname "$0")/.."
# load_env exports every setting and secret (.run/secrets.env) the benchmarks read.
source scripts/lib.sh
load_env
tsx=./node_modules/.bin/tsx
"$tsx" bench/cti-routing.ts
flock -o /tmp/ipcc-system.lock "$tsx" bench/full-path.ts "$@"
flock -o /tmp/ipcc-system.lock "$tsx" bench/video-load.ts
flock -o /tmp/ipcc-system.lock "$tsx" bench/screen-pop.ts
"$tsx" bench/chart.ts
