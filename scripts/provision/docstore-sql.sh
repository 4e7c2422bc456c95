#!/bin/sh
# Prints the SQL that sets up the document store's database in PostgreSQL, for psql on stdin (so
# passwords never appear in a process list). The machine's provisioning (scripts/provision/postgresql.sh)
# and the compose image's start (docker/store/postgres.sh) both run it as postgres, on every start:
# - the database ipcc_docstore, owned by the role ipcc_docstore, which cannot log in;
# - one login role per store user named in the arguments (ipcc_<user>, password from
#   DOCSTORE_PASSWORD_<USER>, set again each time so new passwords replace older ones), each a member of
#   ipcc_docstore acting as it (`set role`), so every table stays owned by one role whichever service
#   created it;
# - connecting to that database only through those roles.
#   sh docstore-sql.sh cti as ops | psql -qtAX -v ON_ERROR_STOP=1 -f -
# POSIX sh: the compose image runs it with /bin/sh.
set -eu
literal() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/''/g")"; }
password_var() { echo "DOCSTORE_PASSWORD_$(printf '%s' "$1" | tr '[:lower:]' '[:upper:]')"; }
# Every password checked before any SQL is printed: psql must not run half of it.
for u in "$@"; do
  eval "pw=\${$(password_var "$u"):-}"
  [ -n "$pw" ] || { echo "docstore-sql.sh: $(password_var "$u") is not set" >&2; exit 1; }
done
echo "set password_encryption = 'scram-sha-256';"
echo "do \$\$ begin
  if not exists (select 1 from pg_roles where rolname = 'ipcc_docstore') then create role ipcc_docstore nologin; end if;
end \$\$;"
# Before the provisioning made it NOLOGIN, ipcc_docstore logged in with a password FerretDB held.
echo "alter role ipcc_docstore nologin password null;"
for u in "$@"; do
  eval "pw=\${$(password_var "$u")}"
  echo "do \$\$ begin
  if not exists (select 1 from pg_roles where rolname = 'ipcc_$u') then create role ipcc_$u login; end if;
end \$\$;"
  echo "alter role ipcc_$u login nosuperuser nocreatedb nocreaterole inherit password $(literal "$pw");"
  echo "grant ipcc_docstore to ipcc_$u;"
  echo "alter role ipcc_$u set role = 'ipcc_docstore';"
done
# create database cannot run in a do block: psql's \gexec runs it only when the select returns it.
cat <<'SQL'
select 'create database ipcc_docstore owner ipcc_docstore'
  where not exists (select 1 from pg_database where datname = 'ipcc_docstore') \gexec
-- FerretDB v1 sends every filter as a prepared `_jsonb->$1 @> $2` with the field name as a parameter:
-- a generic plan cannot match an index expression and scans the whole table (FerretDB issue 4646), so
-- every query of the document store is planned with its parameters (see scripts/docstore.sh tune).
alter database ipcc_docstore set plan_cache_mode = force_custom_plan;
revoke connect, temporary on database ipcc_docstore from public;
grant connect, temporary on database ipcc_docstore to ipcc_docstore;
SQL
