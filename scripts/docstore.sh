#!/usr/bin/env bash
# start | stop | tune: the MongoDB-compatible store. FerretDB v1 on the local PostgreSQL (see README for
# why); nothing is started or tuned when MONGODB_URI was given, since then a real MongoDB is used as it is.
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
    # The URL holds no password: FerretDB v1 logs in to PostgreSQL with each client's own user and
    # password (SASL PLAIN), and a client that gives none gets this URL's: a role that does not exist,
    # without a password (pg_hba demands one for this database; the default, the OS user, may be a
    # superuser). Nothing from the environment or a .pgpass may fill a password in.
    # Each user gets a pool of its own: 3 users x 30 stays under PostgreSQL's default 100 connections.
    start_bg ferretdb env -u PGUSER -u PGPASSWORD -u PGSERVICE PGPASSFILE=/dev/null \
      "$IPCC_BIN/ferretdb" --handler=postgresql --state-dir="$IPCC_RUN/ferretdb" \
      --postgresql-url="postgres://ipcc_no_credentials@127.0.0.1:5432/ipcc_docstore?pool_max_conns=30" \
      --listen-addr="127.0.0.1:$FERRETDB_PORT" --debug-addr=- --telemetry=disable --log-level=WARN --log-format=json
    wait_port "$FERRETDB_PORT" FerretDB 150
    log "ferretdb up: $(redact_url "$MONGODB_URI")"
    ;;
  stop) stop_bg ferretdb ;;
  tune)
    # FerretDB v1 looks documents up by `_jsonb->'_id' @> value`, which its own B-tree index on
    # `_jsonb->'_id'` cannot serve: every find or update by _id read the whole table (12.5 ms for a
    # 29 MB interactions table; 0.02 ms with this index). A GIN index on the same expression serves
    # `@>`. Idempotent; run after the seed, when every collection's table exists. PostgreSQL with
    # autovacuum off (as on the development machine) also gets its dead rows vacuumed here.
    if [ "$IPCC_DOCSTORE_EXTERNAL" = 1 ]; then exit 0; fi
    # As the operator's store user, which acts as the tables' owner (scripts/provision/postgresql.sh).
    pg() { PGOPTIONS="-c client_min_messages=warning" PGPASSWORD=$DOCSTORE_PASSWORD_OPS psql -h 127.0.0.1 -U ipcc_ops -d ipcc_docstore -qtAX -v ON_ERROR_STOP=1 "$@"; }
    tables=$(pg -c "select quote_ident(table_schema) || '.' || quote_ident(table_name) || ' ' || quote_ident(table_name || '_id_gin')
      from information_schema.columns where column_name = '_jsonb' and table_name not like '\_ferretdb%'")
    n=0
    while read -r table index; do
      [ -n "$table" ] || continue
      pg -c "create index if not exists $index on $table using gin ((_jsonb->'_id') jsonb_path_ops)"
      n=$((n + 1))
    done <<<"$tables"
    bloated=$(pg -c "select quote_ident(schemaname) || '.' || quote_ident(relname) from pg_stat_user_tables
      where n_dead_tup > 1000 and n_dead_tup > n_live_tup")
    for table in $bloated; do pg -c "vacuum (analyze) $table"; done
    log "document store tuned: _id GIN index on $n tables, $(wc -w <<<"$bloated") tables vacuumed"
    ;;
  *) die "usage: $0 start|stop|tune" ;;
esac
