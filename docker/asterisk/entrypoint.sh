#!/bin/sh
# Renders the project's configs with the container's environment (the same @NAME@ placeholders that
# scripts/asterisk.sh fills in) and runs Asterisk in the foreground.
set -eu
mkdir -p /etc/ipcc
for f in /etc/ipcc-templates/*.conf; do
  sed -e "s|@ARI_USER@|${ARI_USER}|g" -e "s|@ARI_PASSWORD@|${ARI_PASSWORD}|g" \
    -e "s|@ARI_ALLOWED_ORIGINS@|${ARI_ALLOWED_ORIGINS:-}|g" \
    -e "s|@ASTERISK_HTTP_HOST@|${ASTERISK_HTTP_HOST:-0.0.0.0}|g" -e "s|@ASTERISK_HTTP_PORT@|${ASTERISK_HTTP_PORT:-8088}|g" \
    -e "s|@SIP_HOST@|${SIP_HOST:-0.0.0.0}|g" -e "s|@SIP_PORT@|${SIP_PORT:-5060}|g" \
    -e "s|@FALLBACK_DIAL@|${FALLBACK_DIAL:-}|g" -e "s|@FALLBACK_PROMPT@|${FALLBACK_PROMPT:-all-circuits-busy-now}|g" \
    "$f" >"/etc/ipcc/$(basename "$f")"
done
for f in indications.conf features.conf udptl.conf ccss.conf confbridge.conf; do cp "/etc/asterisk/$f" /etc/ipcc/ 2>/dev/null || true; done
exec /usr/sbin/asterisk -f -n -C /etc/ipcc/asterisk.conf
