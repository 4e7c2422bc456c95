#!/usr/bin/env bash
# Makes a throw-away certificate authority and a server certificate signed by it, for tests and for a
# LAN trial (docs/operations/tls.md): DIR/ca.crt (what a client pins or a browser trusts), DIR/server.crt
# and DIR/server.key (what the AS, CTI and Asterisk serve). Names in the certificate: localhost,
# 127.0.0.1 and every name or address given in TLS_SAN (comma-separated, e.g. "pc12.lan,192.168.1.20").
# Kept when already there with the same names and valid for another 30 days; `--force` makes a new pair.
# Usage: scripts/tls-selfsigned.sh [--force] [DIR]   (DIR defaults to .run/tls)
source "$(dirname "$0")/lib.sh"
force=0
if [ "${1:-}" = --force ]; then force=1; shift; fi
dir=${1:-$IPCC_RUN/tls}
mkdir -p "$dir"

sans="DNS:localhost,IP:127.0.0.1"
IFS=',' read -r -a extra <<<"${TLS_SAN:-}"
for name in "${extra[@]}"; do
  name=${name// /}
  [ -n "$name" ] || continue
  if [[ $name =~ ^[0-9.]+$ || $name == *:* ]]; then sans+=",IP:$name"; else sans+=",DNS:$name"; fi
done

if [ "$force" = 0 ] && [ -f "$dir/server.crt" ] && [ -f "$dir/server.key" ] && [ -f "$dir/ca.crt" ] &&
  [ "$(cat "$dir/sans" 2>/dev/null)" = "$sans" ] &&
  openssl x509 -checkend $((30 * 86400)) -noout -in "$dir/server.crt" >/dev/null 2>&1; then
  log "TLS pair kept: $dir/server.crt ($sans)"
  exit 0
fi

# The keys are secrets: readable by their owner only, from the moment they exist.
umask 077
tmp=$(mktemp -d "$dir/.new.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 825 -subj "/CN=ipcc test CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -keyout "$tmp/ca.key" -out "$tmp/ca.crt" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -sha256 -subj "/CN=ipcc" -keyout "$tmp/server.key" -out "$tmp/server.csr" 2>/dev/null
# Browsers accept a server certificate for at most 398 days and read names from subjectAltName only.
printf 'subjectAltName=%s\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' \
  "$sans" >"$tmp/ext"
openssl x509 -req -sha256 -days 397 -in "$tmp/server.csr" -CA "$tmp/ca.crt" -CAkey "$tmp/ca.key" \
  -CAcreateserial -extfile "$tmp/ext" -out "$tmp/server.crt" 2>/dev/null
echo "$sans" >"$tmp/sans"
chmod 644 "$tmp/ca.crt" "$tmp/server.crt" "$tmp/sans"
for f in ca.crt ca.key server.crt server.key sans; do mv -f "$tmp/$f" "$dir/$f"; done
log "TLS pair made: $dir/server.crt and server.key, signed by $dir/ca.crt ($sans)"
