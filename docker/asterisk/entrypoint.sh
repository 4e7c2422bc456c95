#!/bin/sh
# Renders the project's configs (asterisk/etc and the snippets they include) with the container's
# environment, every @NAME@ placeholder from the variable NAME as scripts/asterisk.sh does, and runs
# Asterisk in the foreground.
set -eu
: "${ASTERISK_HTTP_HOST:=0.0.0.0}" "${ASTERISK_HTTP_PORT:=8088}" "${SIP_HOST:=0.0.0.0}" "${SIP_PORT:=5060}"
: "${ARI_ALLOWED_ORIGINS:=}" "${FALLBACK_DIAL:=}" "${FALLBACK_PROMPT:=all-circuits-busy-now}"
: "${ASTERISK_HTTPS_HOST:=$ASTERISK_HTTP_HOST}" "${ASTERISK_HTTPS_PORT:=8089}" "${ASTERISK_METRICS_USER:=metrics}"
: "${ASTERISK_TLS_CERT:=}" "${ASTERISK_TLS_KEY:=}"
mkdir -p /etc/ipcc /var/run/asterisk /var/spool/asterisk/recording /var/lib/ipcc-agents
script=$(mktemp)
for name in $(cat /etc/ipcc-templates/*.conf | grep -o '@[A-Z][A-Z0-9_]*@' | tr -d @ | sort -u); do
  eval "value=\${$name:-}"
  # Escaped for sed's replacement: backslash, the delimiter and &.
  printf 's|@%s@|%s|g\n' "$name" "$(printf '%s' "$value" | sed -e 's/[\\|&]/\\&/g')" >>"$script"
done
for f in /etc/ipcc-templates/*.conf; do sed -f "$script" "$f" >"/etc/ipcc/$(basename "$f")"; done
rm -f "$script"
chmod 600 /etc/ipcc/*.conf
# HTTPS/WSS only with a certificate (mount it and set ASTERISK_TLS_CERT/ASTERISK_TLS_KEY).
[ -n "$ASTERISK_TLS_CERT" ] || rm -f /etc/ipcc/*_tls.conf
# With host networking two Asterisks on one machine must not pick the same RTP ports.
sed -i -e "s|^rtpstart *=.*|rtpstart = ${RTP_START:-10000}|" -e "s|^rtpend *=.*|rtpend = ${RTP_END:-15999}|" /etc/ipcc/rtp.conf
for f in indications.conf features.conf udptl.conf ccss.conf confbridge.conf; do cp "/etc/asterisk/$f" /etc/ipcc/ 2>/dev/null || true; done
# The agents' endpoints live in a volume: init writes them first, SoftACD rewrites them on every agent
# change and reloads PJSIP over ARI (stasis-app/provisioning/endpoint-sync.ts).
ln -sf /var/lib/ipcc-agents/pjsip_agents.conf /etc/ipcc/pjsip_agents.conf
# The fax numbers likewise: init writes them, ISAG rewrites them on every fax queue change and reloads
# the dialplan over ARI (isag/fax/dialplan-sync.ts). ReceiveFAX writes into the spool volume ISAG reads.
ln -sf /var/lib/ipcc-agents/extensions_ipcc_fax_numbers.conf /etc/ipcc/extensions_ipcc_fax_numbers.conf
mkdir -p /var/spool/asterisk/fax
# Compose tools differ in waiting for a one-shot service (podman-compose 1.0 does not): wait here, so
# the agents' phones exist at the first start whatever started us.
waited=0
while [ ! -s /var/lib/ipcc-agents/pjsip_agents.conf ] && [ "$waited" -lt "${AGENTS_WAIT_SEC:-300}" ]; do
  sleep 1
  waited=$((waited + 1))
done
[ -s /var/lib/ipcc-agents/pjsip_agents.conf ] || echo "no agent endpoints after ${waited}s: starting without them" >&2
exec /usr/sbin/asterisk -f -n -C /etc/ipcc/asterisk.conf
