#!/usr/bin/env bash
# Uses the RabbitMQ on 127.0.0.1:5672; starts it if stopped, installs Debian's package if absent. Gives
# the project a vhost of its own (ipcc) and one user per service (rabbitmq-definitions.mjs: passwords
# from .run/secrets.env, permissions limited to what each service declares, publishes and consumes).
# guest keeps whatever the machine gives it elsewhere but nothing in the project's vhost. Nothing is
# done when AMQP_URL was given: that broker is used as it is.
# `rabbitmq.sh definitions` only writes .run/rabbitmq-definitions.json (docker/compose.yaml loads it).
source "$(dirname "$0")/../lib.sh"
load_env
# Salted SHA-256 hashes of random 18-byte passwords: readable (the broker's container user reads the
# file), since nothing can be recovered from them.
defs=$IPCC_RUN/rabbitmq-definitions.json
node "$IPCC_ROOT/scripts/provision/rabbitmq-definitions.mjs" >"$defs.tmp" && chmod 644 "$defs.tmp" && mv "$defs.tmp" "$defs"
[ "${1:-}" = definitions ] && exit 0
if [ "$IPCC_AMQP_EXTERNAL" = 1 ]; then log "using AMQP_URL from the environment; no broker set up"; exit 0; fi
if ! port_open 5672; then
  command -v rabbitmq-server >/dev/null || apt_install rabbitmq-server
  log "starting rabbitmq-server"
  as_root rabbitmq-server -detached
  wait_port 5672 RabbitMQ 300
fi
# One import (about a second) creates or updates the vhost, the users and their passwords, the
# permissions and the dead-letter policy: an existing user with an older password gets the new one.
# On stdin: the broker runs as its own user, which may not reach the checkout.
as_root rabbitmqctl -q import_definitions --format json <"$defs" >/dev/null || die "rabbitmqctl import_definitions failed"
# An import adds and never removes: take back anything guest was ever granted in the project's vhost.
as_root rabbitmqctl -q clear_permissions -p "$AMQP_VHOST" guest >/dev/null 2>&1 || true
