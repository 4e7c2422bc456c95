#!/usr/bin/env bash
# npm run preflight: scripts/preflight.ts with the project's environment (ARI_URL, ARI_USER, ARI_PASSWORD,
# ASTERISK_SOUNDS_DIR from load_env). ASTERISK_CLI defaults to this machine's chroot Asterisk when it is the
# one running, else to `asterisk -rx` (an existing Asterisk on this host).
source "$(dirname "$0")/lib.sh"
load_env
if [ -z "${ASTERISK_CLI:-}" ]; then
  if [ -f "$IPCC_RUN/pids/asterisk.pid" ] && kill -0 "$(cat "$IPCC_RUN/pids/asterisk.pid")" 2>/dev/null; then
    ASTERISK_CLI="bash $IPCC_ROOT/scripts/asterisk.sh rx"
  else
    ASTERISK_CLI="asterisk -rx"
  fi
fi
export ASTERISK_CLI
exec "$IPCC_ROOT/node_modules/.bin/tsx" "$IPCC_ROOT/scripts/preflight.ts" "$@"
