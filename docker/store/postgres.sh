#!/bin/sh
# PostgreSQL for FerretDB, set up as scripts/provision/postgresql.sh sets up the machine's: the database
# ipcc_docstore owned by a role that cannot log in, one login role per store user (ipcc_cti, ipcc_as,
# ipcc_ops) acting as that owner, passwords required over TCP. Roles and passwords are applied at every
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
literal() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/''/g")"; }
{
  echo "set password_encryption = 'scram-sha-256';"
  echo "do \$\$ begin if not exists (select 1 from pg_roles where rolname = 'ipcc_docstore') then create role ipcc_docstore nologin; end if; end \$\$;"
  for u in cti as ops; do
    eval "pw=\${DOCSTORE_PASSWORD_$(echo "$u" | tr a-z A-Z)}"
    echo "do \$\$ begin if not exists (select 1 from pg_roles where rolname = 'ipcc_$u') then create role ipcc_$u login; end if; end \$\$;"
    echo "alter role ipcc_$u login nosuperuser nocreatedb nocreaterole inherit password $(literal "$pw");"
    echo "grant ipcc_docstore to ipcc_$u;"
    echo "alter role ipcc_$u set role = 'ipcc_docstore';"
  done
} | sql
if [ "$(echo "select 1 from pg_database where datname = 'ipcc_docstore'" | sql)" != 1 ]; then
  echo "create database ipcc_docstore owner ipcc_docstore" | sql
fi
# FerretDB v1's prepared filters scan whole tables under a generic plan (see scripts/provision/postgresql.sh).
sql <<'SQL'
alter database ipcc_docstore set plan_cache_mode = force_custom_plan;
revoke connect, temporary on database ipcc_docstore from public;
grant connect, temporary on database ipcc_docstore to ipcc_docstore;
SQL
as_pg "$bin/pg_ctl" -D "$PGDATA" -w -s stop
exec runuser -u postgres -- "$bin/postgres" -D "$PGDATA" -c listen_addresses=127.0.0.1 -c port="${PG_PORT:-5432}" \
  -c unix_socket_directories=/var/run/postgresql
