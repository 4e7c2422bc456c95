#!/usr/bin/env bash
# start | stop | build: the project's own processes (SoftACD, IVR, CTI, AS, ISAG), each under its supervisor
# (lib/supervise: restarts with backoff, IPCC_RESTARTS) and logging JSON to .run/logs, rotated.
source "$(dirname "$0")/lib.sh"
load_env
SERVICES=(cti softacd ivr as isag)
DIST=$IPCC_RUN/dist
entry() {
  case "$1" in
    cti) echo cti/main.ts ;;
    softacd) echo stasis-app/softacd/main.ts ;;
    ivr) echo stasis-app/ivr/main.ts ;;
    as) echo as/main.ts ;;
    isag) echo isag/main.ts ;;
  esac
}
# Each service runs as plain JavaScript on node: esbuild turns its TypeScript into one file (the
# packages stay in node_modules). Under tsx every process paid for its loader at start and at run time
# (a sixth of SoftACD's CPU in the full-path bench). Takes about a second; done at every start so a
# service never runs older code than the tree.
build() {
  local entries=() e
  # An entry not in this tree (an older checkout) is left out of the build; start says so.
  for s in "${SERVICES[@]}"; do e=$(entry "$s"); [ -f "$IPCC_ROOT/$e" ] && entries+=("$e"); done
  entries+=(lib/supervise/main.ts)
  (cd "$IPCC_ROOT" && ./node_modules/.bin/esbuild "${entries[@]}" --bundle --platform=node --target=node24 \
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
      # ISAG's STARTTLS: the certificate given, else the project's generated pair (scripts/tls-selfsigned.sh).
      if [ "$s" = isag ] && [ -z "${ISAG_TLS_CERT:-}" ] && [ "${ISAG_SMTP_TLS:-on}" != off ]; then
        bash "$IPCC_ROOT/scripts/tls-selfsigned.sh" 2>/dev/null || die "isag: no TLS pair for STARTTLS"
        export ISAG_TLS_CERT=$IPCC_RUN/tls/server.crt ISAG_TLS_KEY=$IPCC_RUN/tls/server.key
      fi
      # The pid file names the supervisor (lib/supervise): it restarts the service when it dies and
      # writes its output to .run/logs/$s.log, rotated; its own stdio only holds its own failure.
      (cd "$IPCC_ROOT" && service_env "$s" && IPCC_BG_LOG=$IPCC_RUN/logs/$s.supervisor.log \
        start_bg "$s" env -u NODE_OPTIONS ${NODE_OPTIONS:+"IPCC_CHILD_NODE_OPTIONS=$NODE_OPTIONS"} \
        node "$DIST/lib/supervise/main.js" "$s" "$IPCC_RUN/logs/$s.log" \
        "$IPCC_RUN/pids/$s.child.pid" -- node --enable-source-maps "$DIST/${e%.ts}.js")
    done
    ;;
  build) build ;;
  stop)
    targets=("${@:2}"); [ ${#targets[@]} -gt 0 ] || targets=("${SERVICES[@]}")
    for s in "${targets[@]}"; do stop_bg "$s"; done
    ;;
  *) die "usage: $0 start|stop [service...] | build" ;;
esac
