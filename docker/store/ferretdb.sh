#!/bin/sh
# FerretDB v1 on the postgres service. Its URL holds no password: FerretDB logs in to PostgreSQL with each
# client's own user and password (SASL PLAIN), as in scripts/docstore.sh.
set -eu
mkdir -p /var/lib/ferretdb
exec env -u PGUSER -u PGPASSWORD PGPASSFILE=/dev/null /usr/local/bin/ferretdb --handler=postgresql \
  --state-dir=/var/lib/ferretdb \
  --postgresql-url="postgres://ipcc_no_credentials@127.0.0.1:${PG_PORT:-5432}/ipcc_docstore?pool_max_conns=30" \
  --listen-addr="127.0.0.1:${FERRETDB_PORT:-27017}" --debug-addr=- --telemetry=disable --log-level=WARN --log-format=json
