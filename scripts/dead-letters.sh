#!/usr/bin/env bash
# npm run dead-letters -- list [--limit N] [--json] | replay <id> | replay --all (scripts/dead-letters.ts),
# as the ops bus user.
source "$(dirname "$0")/lib.sh"
load_env
cd "$IPCC_ROOT"
exec ./node_modules/.bin/tsx scripts/dead-letters.ts "$@"
