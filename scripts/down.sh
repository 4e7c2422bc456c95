#!/usr/bin/env bash
# Stops what scripts/up.sh (or scripts/test.sh) started, and nothing else.
source "$(dirname "$0")/lib.sh"
load_env
bash "$IPCC_ROOT/scripts/services.sh" stop
bash "$IPCC_ROOT/scripts/asterisk.sh" stop
bash "$IPCC_ROOT/scripts/docstore.sh" stop
log "stopped"
