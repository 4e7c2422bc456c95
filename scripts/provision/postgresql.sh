#!/usr/bin/env bash
# PostgreSQL backs FerretDB: the local server if it runs, Debian's package otherwise. Through the local
# socket as postgres (idempotent, every run):
# - the database ipcc_docstore and one login role per store user (ipcc_cti, ipcc_as, ipcc_ops; passwords
#   from .run/secrets.env) acting as its owner role (docstore-sql.sh, which the compose image runs too);
# - pg_hba lines that demand a password (scram-sha-256) for that database over the socket and TCP,
#   ahead of the machine's own lines (which may trust local connections): FerretDB passes each client's
#   credentials to PostgreSQL, so a client without the password reads nothing. Other databases keep
#   the machine's rules.
source "$(dirname "$0")/../lib.sh"
load_env
if ! port_open 5432; then
  command -v pg_ctlcluster >/dev/null || apt_install postgresql
  cluster=$(ls /etc/postgresql | sort -V | tail -n1)
  log "starting PostgreSQL $cluster"
  as_root pg_ctlcluster --skip-systemctl-redirect "$cluster" main start
  wait_port 5432 PostgreSQL 150
fi
# SQL goes on stdin (psql -f -), so passwords never appear in a process list.
psql_admin() { as_root su postgres -c "PGOPTIONS='-c client_min_messages=warning' psql -qtAX -v ON_ERROR_STOP=1 -f - $*"; }

# The roles, the database and its grants (docstore-sql.sh, shared with the compose image).
sh "$(dirname "$0")/docstore-sql.sh" "${IPCC_STORE_USERS[@]}" | psql_admin

# pg_hba: our block first (first match wins), rewritten in place when it differs; reloaded only then.
hba=$(echo "show hba_file" | psql_admin)
block="# ipcc begin (scripts/provision/postgresql.sh): the document store's database needs a password
local   ipcc_docstore   all                     scram-sha-256
host    ipcc_docstore   all     127.0.0.1/32    scram-sha-256
host    ipcc_docstore   all     ::1/128         scram-sha-256
# ipcc end"
current=$(as_root sed -n '/^# ipcc begin/,/^# ipcc end/p' "$hba")
first_rule=$(as_root grep -nvE '^[[:space:]]*(#|$)' "$hba" | head -n1 | cut -d: -f1) || true
block_line=$(as_root grep -n '^# ipcc begin' "$hba" | head -n1 | cut -d: -f1) || true
if [ "$current" != "$block" ] || [ -z "$block_line" ] || [ "$block_line" -gt "${first_rule:-1}" ]; then
  log "pg_hba: password required for the ipcc_docstore database ($hba)"
  tmp=$(mktemp)
  { printf '%s\n' "$block"; as_root sed '/^# ipcc begin/,/^# ipcc end/d' "$hba"; } >"$tmp"
  as_root cp "$tmp" "$hba" && rm -f "$tmp"
  echo "select pg_reload_conf()" | psql_admin >/dev/null
fi
