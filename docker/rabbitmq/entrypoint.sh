#!/bin/sh
# RabbitMQ in the foreground on AMQP_PORT, with a node name, distribution port and epmd port of its own
# (host networking: a second broker on the machine must not share any of them). The definitions file
# (mounted) is loaded at every boot: vhost, users with salted hashes, permissions; no guest user is made.
set -eu
cat >/etc/rabbitmq/rabbitmq.conf <<CONF
listeners.tcp.default = ${AMQP_BIND:-127.0.0.1}:${AMQP_PORT:-5672}
load_definitions = /etc/rabbitmq/ipcc-definitions.json
CONF
export RABBITMQ_NODENAME="${RABBITMQ_NODENAME:-ipcc@localhost}"
export RABBITMQ_DIST_PORT="${RABBITMQ_DIST_PORT:-25672}"
export ERL_EPMD_PORT="${ERL_EPMD_PORT:-4369}"
# epmd and the distribution listener on loopback only, as the machine's own broker has them.
export ERL_EPMD_ADDRESS=127.0.0.1
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
export RABBITMQ_CONFIG_FILE=/etc/rabbitmq/rabbitmq.conf
export RABBITMQ_ENABLED_PLUGINS_FILE=/etc/rabbitmq/enabled_plugins
export RABBITMQ_LOGS=- RABBITMQ_MNESIA_BASE=/var/lib/rabbitmq/mnesia
echo '[].' >/etc/rabbitmq/enabled_plugins
chown -R rabbitmq:rabbitmq /var/lib/rabbitmq
export HOME=/var/lib/rabbitmq
exec runuser -u rabbitmq -- /usr/lib/rabbitmq/bin/rabbitmq-server
