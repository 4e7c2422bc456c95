#!/usr/bin/env bash
# Uses the RabbitMQ on 127.0.0.1:5672; starts it if stopped, installs Debian's package if absent.
source "$(dirname "$0")/../lib.sh"
if ! port_open 5672; then
  command -v rabbitmq-server >/dev/null || apt_install rabbitmq-server
  log "starting rabbitmq-server"
  as_root rabbitmq-server -detached
  wait_port 5672 RabbitMQ 300
fi
# The dead-letter queue has no consumer: bound it (oldest dropped first) so a flood of bad input cannot
# fill the broker's disk. A policy applies to the existing queue without redeclaring it.
if command -v rabbitmqctl >/dev/null; then
  as_root rabbitmqctl -q set_policy --apply-to queues ipcc-dead-letter '^cc\.dead-letter$' \
    '{"max-length":100000,"overflow":"drop-head"}' >/dev/null 2>&1 || log "could not set the dead-letter policy"
fi
