#!/usr/bin/env bash
# start | stop: the project's own processes (SoftACD, IVR, CTI, AS), each logging JSON to .run/logs.
source "$(dirname "$0")/lib.sh"
load_env
tsx=$IPCC_ROOT/node_modules/.bin/tsx
SERVICES=(cti softacd ivr as)
entry() {
  case "$1" in
    cti) echo cti/main.ts ;;
    softacd) echo stasis-app/softacd/main.ts ;;
    ivr) echo stasis-app/ivr/main.ts ;;
    as) echo as/main.ts ;;
  esac
}
case "${1:-}" in
  start)
    targets=("${@:2}"); [ ${#targets[@]} -gt 0 ] || targets=("${SERVICES[@]}")
    for s in "${targets[@]}"; do
      e=$(entry "$s")
      [ -f "$IPCC_ROOT/$e" ] || { log "$s: $e not present, not started"; continue; }
      (cd "$IPCC_ROOT" && start_bg "$s" "$tsx" "$e")
    done
    ;;
  stop)
    targets=("${@:2}"); [ ${#targets[@]} -gt 0 ] || targets=("${SERVICES[@]}")
    for s in "${targets[@]}"; do stop_bg "$s"; done
    ;;
  *) die "usage: $0 start|stop [service...]" ;;
esac
