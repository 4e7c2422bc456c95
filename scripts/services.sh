#!/usr/bin/env bash
# start | stop: the project's own processes (SoftACD, IVR, CTI, AS), each logging JSON to .run/logs.
source "$(dirname "$0")/lib.sh"
load_env
SERVICES=(cti softacd ivr as)
DIST=$IPCC_RUN/dist
entry() {
  case "$1" in
    cti) echo cti/main.ts ;;
    softacd) echo stasis-app/softacd/main.ts ;;
    ivr) echo stasis-app/ivr/main.ts ;;
    as) echo as/main.ts ;;
  esac
}
# Each service runs as plain JavaScript on node: esbuild turns its TypeScript into one file (the
# packages stay in node_modules). Under tsx every process paid for its loader at start and at run time
# (a sixth of SoftACD's CPU in the full-path bench). Takes about a second; done at every start so a
# service never runs older code than the tree.
build() {
  local entries=()
  for s in "${SERVICES[@]}"; do entries+=("$(entry "$s")"); done
  (cd "$IPCC_ROOT" && ./node_modules/.bin/esbuild "${entries[@]}" --bundle --platform=node --target=node20 \
    --format=cjs --packages=external --sourcemap --outbase=. --outdir="$DIST" --log-level=warning) \
    || die "service build failed"
}
case "${1:-}" in
  start)
    targets=("${@:2}"); [ ${#targets[@]} -gt 0 ] || targets=("${SERVICES[@]}")
    build
    for s in "${targets[@]}"; do
      e=$(entry "$s")
      [ -f "$IPCC_ROOT/$e" ] || { log "$s: $e not present, not started"; continue; }
      (cd "$IPCC_ROOT" && service_env "$s" && start_bg "$s" node --enable-source-maps "$DIST/${e%.ts}.js")
    done
    ;;
  stop)
    targets=("${@:2}"); [ ${#targets[@]} -gt 0 ] || targets=("${SERVICES[@]}")
    for s in "${targets[@]}"; do stop_bg "$s"; done
    ;;
  *) die "usage: $0 start|stop [service...]" ;;
esac
