#!/usr/bin/env bash
# start | stop: the MongoDB-compatible store. FerretDB v1 on the local PostgreSQL (see README for why);
# nothing is started when MONGODB_URI was given, since then a real MongoDB is used as it is.
source "$(dirname "$0")/lib.sh"
load_env
case "${1:-}" in
  start)
    if [ "$IPCC_DOCSTORE_EXTERNAL" = 1 ]; then log "using MONGODB_URI from the environment; no FerretDB started"; exit 0; fi
    bash "$IPCC_ROOT/scripts/provision/ferretdb.sh"
    bash "$IPCC_ROOT/scripts/provision/postgresql.sh"
    if port_open "$FERRETDB_PORT"; then
      [ -f "$IPCC_RUN/pids/ferretdb.pid" ] && { log "ferretdb already running"; exit 0; }
      die "127.0.0.1:$FERRETDB_PORT is taken by another process"
    fi
    mkdir -p "$IPCC_RUN/ferretdb"
    start_bg ferretdb "$IPCC_BIN/ferretdb" --handler=postgresql --state-dir="$IPCC_RUN/ferretdb" \
      --postgresql-url="postgres://ipcc_docstore:$DOCSTORE_PG_PASSWORD@127.0.0.1:5432/ipcc_docstore" \
      --listen-addr="127.0.0.1:$FERRETDB_PORT" --debug-addr=- --telemetry=disable --log-level=WARN --log-format=json
    wait_port "$FERRETDB_PORT" FerretDB 150
    log "ferretdb up: $MONGODB_URI"
    ;;
  stop) stop_bg ferretdb ;;
  *) die "usage: $0 start|stop" ;;
esac
