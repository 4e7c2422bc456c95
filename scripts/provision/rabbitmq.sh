#!/usr/bin/env bash
# Uses the RabbitMQ on 127.0.0.1:5672; starts it if stopped, installs Debian's package if absent.
source "$(dirname "$0")/../lib.sh"
port_open 5672 && exit 0
command -v rabbitmq-server >/dev/null || apt_install rabbitmq-server
log "starting rabbitmq-server"
as_root rabbitmq-server -detached
wait_port 5672 RabbitMQ 300
