#!/usr/bin/env bash
# Everything a fresh Debian machine needs; quick when already done.
source "$(dirname "$0")/../lib.sh"
dir=$(dirname "$0")
bash "$dir/tools.sh"
bash "$dir/rabbitmq.sh"
bash "$dir/ferretdb.sh"
bash "$dir/asterisk.sh"
bash "$dir/fax-tools.sh"
bash "$dir/postfix.sh"
if [ ! -d "$IPCC_ROOT/node_modules" ] || [ "$IPCC_ROOT/package-lock.json" -nt "$IPCC_ROOT/node_modules/.package-lock.json" ]; then
  log "npm ci"
  (cd "$IPCC_ROOT" && npm ci --no-audit --no-fund --loglevel=error)
fi
