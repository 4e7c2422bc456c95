#!/usr/bin/env bash
# PostgreSQL backs FerretDB: the local server if it runs, Debian's package otherwise. Through the local
# socket as postgres (idempotent, every run):
# - the database ipcc_docstore, owned by the role ipcc_docstore, which cannot log in;
# - one login role per store user (ipcc_cti, ipcc_as, ipcc_ops; passwords from .run/secrets.env, set
#   again on every run so a fresh .run's new passwords replace older ones), each a member of
#   ipcc_docstore that acts as it (`set role`), so every table stays owned by one role whichever
#   service created it;
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
sql_literal() { printf "'%s'" "${1//\'/\'\'}"; }

{
  echo "set password_encryption = 'scram-sha-256';"
  echo "do \$\$ begin
    if not exists (select 1 from pg_roles where rolname = 'ipcc_docstore') then create role ipcc_docstore nologin; end if;
  end \$\$;"
  # Before this script made it NOLOGIN, ipcc_docstore logged in with a password FerretDB held.
  echo "alter role ipcc_docstore nologin password null;"
  for u in "${IPCC_STORE_USERS[@]}"; do
    pw="DOCSTORE_PASSWORD_${u^^}"
    echo "do \$\$ begin
      if not exists (select 1 from pg_roles where rolname = 'ipcc_$u') then create role ipcc_$u login; end if;
    end \$\$;"
    echo "alter role ipcc_$u login nosuperuser nocreatedb nocreaterole inherit password $(sql_literal "${!pw}");"
    echo "grant ipcc_docstore to ipcc_$u;"
    echo "alter role ipcc_$u set role = 'ipcc_docstore';"
  done
} | psql_admin
if [ "$(echo "select 1 from pg_database where datname = 'ipcc_docstore'" | psql_admin)" != 1 ]; then
  echo "create database ipcc_docstore owner ipcc_docstore" | psql_admin
fi
# FerretDB v1 sends every filter as a prepared `_jsonb->$1 @> $2` with the field name as a parameter:
# a generic plan cannot match an index expression and scans the whole table (FerretDB issue 4646), so
# every query of the document store is planned with its parameters (see docstore.sh tune).
psql_admin <<'SQL'
alter database ipcc_docstore set plan_cache_mode = force_custom_plan;
revoke connect, temporary on database ipcc_docstore from public;
grant connect, temporary on database ipcc_docstore to ipcc_docstore;
SQL

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
