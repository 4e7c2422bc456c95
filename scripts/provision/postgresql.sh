#!/usr/bin/env bash
# PostgreSQL backs FerretDB: the local server if it runs, Debian's package otherwise. Creates the role and
# database the document store uses (password from .run/secrets.env) through the local socket as postgres.
source "$(dirname "$0")/../lib.sh"
load_env
if ! port_open 5432; then
  command -v pg_ctlcluster >/dev/null || apt_install postgresql
  cluster=$(ls /etc/postgresql | sort -V | tail -n1)
  log "starting PostgreSQL $cluster"
  as_root pg_ctlcluster --skip-systemctl-redirect "$cluster" main start
  wait_port 5432 PostgreSQL 150
fi
psql_admin() { as_root su postgres -c "psql -qtAX -v ON_ERROR_STOP=1 $*"; }
if [ "$(psql_admin "-c \"select 1 from pg_roles where rolname='ipcc_docstore'\"")" != 1 ]; then
  psql_admin "-c \"create role ipcc_docstore login password '$DOCSTORE_PG_PASSWORD'\""
else
  psql_admin "-c \"alter role ipcc_docstore password '$DOCSTORE_PG_PASSWORD'\""
fi
if [ "$(psql_admin "-c \"select 1 from pg_database where datname='ipcc_docstore'\"")" != 1 ]; then
  psql_admin "-c \"create database ipcc_docstore owner ipcc_docstore\""
fi
# FerretDB v1 sends every filter as a prepared `_jsonb->$1 @> $2` with the field name as a parameter:
# a generic plan cannot match an index expression and scans the whole table (FerretDB issue 4646), so
# every query of the document store is planned with its parameters (see docstore.sh tune).
psql_admin "-d ipcc_docstore -c \"alter database ipcc_docstore set plan_cache_mode = force_custom_plan\""
