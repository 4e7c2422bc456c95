#!/bin/sh
# PostgreSQL for FerretDB, set up as scripts/provision/postgresql.sh sets up the machine's: the database
# ipcc_docstore owned by a role that cannot log in, one login role per store user (ipcc_cti, ipcc_as,
# ipcc_isag, ipcc_ops) acting as that owner, passwords required over TCP. Roles and passwords are applied at every
# start (socket only, before TCP opens), so a changed env file takes effect on the next start.
set -eu
PGDATA=/var/lib/postgresql/data
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
as_pg() { runuser -u postgres -- "$@"; }
mkdir -p "$PGDATA" /var/run/postgresql
chown postgres:postgres "$PGDATA" /var/run/postgresql
chmod 700 "$PGDATA"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  as_pg "$bin/initdb" -D "$PGDATA" -U postgres --auth-local=peer --auth-host=scram-sha-256 -E UTF8 >/dev/null
  cat >"$PGDATA/pg_hba.conf" <<HBA
local   all             postgres                peer
host    ipcc_docstore   all     127.0.0.1/32    scram-sha-256
host    ipcc_docstore   all     ::1/128         scram-sha-256
HBA
fi
as_pg "$bin/pg_ctl" -D "$PGDATA" -w -s -o "-c listen_addresses='' -c port=5432 -c unix_socket_directories=/var/run/postgresql" start
sql() { as_pg "$bin/psql" -h /var/run/postgresql -p 5432 -qtAX -v ON_ERROR_STOP=1 -f - ; }
# The machine's provisioning runs the same SQL (scripts/provision/docstore-sql.sh, copied into the image).
# Taken whole first: sh has no pipefail, and set -e stops here when a password is missing.
roles_sql=$(ipcc-docstore-sql cti as isag ops)
printf '%s\n' "$roles_sql" | sql
as_pg "$bin/pg_ctl" -D "$PGDATA" -w -s stop
exec runuser -u postgres -- "$bin/postgres" -D "$PGDATA" -c listen_addresses=127.0.0.1 -c port="${PG_PORT:-5432}" \
  -c unix_socket_directories=/var/run/postgresql
