#!/usr/bin/env bash
# wait-ready.sh [service...]: waits until each service's /health/ready answers 200 (default: all five),
# at most WAIT_READY_TIMEOUT seconds (60) in all. On failure names the service and what it still lacks
# (its dependencies that are down), or that it is not running / not answering.
source "$(dirname "$0")/lib.sh"
load_env
services=("$@")
[ ${#services[@]} -gt 0 ] || services=(cti softacd ivr as isag)
deadline=$((SECONDS + ${WAIT_READY_TIMEOUT:-60}))

ops_port() {
  case $1 in
    cti) echo "$CTI_OPS_PORT" ;;
    softacd) echo "$SOFTACD_OPS_PORT" ;;
    ivr) echo "$IVR_OPS_PORT" ;;
    as) echo "$AS_OPS_PORT" ;;
    isag) echo "${ISAG_OPS_PORT:-9465}" ;;
    *) die "unknown service $1" ;;
  esac
}

# The dependencies a /health/ready answer names as down, space-separated.
down_in() { grep -o '"[A-Za-z_-]*":"down"' <<<"$1" | cut -d'"' -f2 | tr '\n' ' ' | sed 's/ $//'; }

for s in "${services[@]}"; do
  url="http://$OPS_HOST:$(ops_port "$s")/health/ready"
  pidfile=$IPCC_RUN/pids/$s.pid
  body="" code=000
  while :; do
    if ! { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }; then
      die "$s is not running (see $IPCC_RUN/logs/$s.log)"
    fi
    body=$(curl -s -m 2 -w '\n%{http_code}' "$url" 2>/dev/null) || body=$'\n000'
    code=${body##*$'\n'} body=${body%$'\n'*}
    [ "$code" = 200 ] && break
    if [ "$SECONDS" -ge "$deadline" ]; then
      if [ "$code" = 503 ]; then die "$s not ready after ${WAIT_READY_TIMEOUT:-60} s: $(down_in "$body") down ($url)"; fi
      die "$s not answering on $url after ${WAIT_READY_TIMEOUT:-60} s (see $IPCC_RUN/logs/$s.log)"
    fi
    sleep 0.2
  done
  log "$s ready ($url)"
done
