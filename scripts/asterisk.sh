#!/usr/bin/env bash
# start | stop | restart | rx "<cli command>": Asterisk in the chroot with the project's configs;
# snippets DIR: the include-able configs for an existing Asterisk.
source "$(dirname "$0")/lib.sh"
load_env
etc=$IPCC_CHROOT/etc/ipcc

# The placeholders @NAME@ of asterisk/etc and asterisk/snippets, from the environment.
subst() {
  sed -e "s|@ARI_USER@|$ARI_USER|g" -e "s|@ARI_PASSWORD@|$ARI_PASSWORD|g" \
    -e "s|@ISAG_ARI_USER@|$ISAG_ARI_USER|g" -e "s|@ISAG_ARI_PASSWORD@|$ISAG_ARI_PASSWORD|g" \
    -e "s|@ARI_ALLOWED_ORIGINS@|$ARI_ALLOWED_ORIGINS|g" \
    -e "s|@ASTERISK_HTTP_HOST@|$ASTERISK_HTTP_HOST|g" -e "s|@ASTERISK_HTTP_PORT@|$ASTERISK_HTTP_PORT|g" \
    -e "s|@ASTERISK_HTTPS_HOST@|$ASTERISK_HTTPS_HOST|g" -e "s|@ASTERISK_HTTPS_PORT@|$ASTERISK_HTTPS_PORT|g" \
    -e "s|@ASTERISK_TLS_CERT@|${tls_cert:-}|g" -e "s|@ASTERISK_TLS_KEY@|${tls_key:-}|g" \
    -e "s|@SIP_HOST@|$SIP_HOST|g" -e "s|@SIP_PORT@|$SIP_PORT|g" \
    -e "s|@ASTERISK_METRICS_USER@|$ASTERISK_METRICS_USER|g" -e "s|@ASTERISK_METRICS_PASSWORD@|$ASTERISK_METRICS_PASSWORD|g" \
    -e "s|@FALLBACK_DIAL@|$FALLBACK_DIAL|g" -e "s|@FALLBACK_PROMPT@|$FALLBACK_PROMPT|g" "$1"
}

# HTTPS/WSS on ASTERISK_HTTPS_PORT beside plain HTTP: from ASTERISK_TLS_CERT/ASTERISK_TLS_KEY, else (this
# machine's Asterisk) from the self-signed pair of scripts/tls-selfsigned.sh; ASTERISK_TLS=off leaves it out.
: "${ASTERISK_HTTPS_HOST:=$ASTERISK_HTTP_HOST}" "${ASTERISK_HTTPS_PORT:=8089}" "${ASTERISK_TLS:=on}"
tls_files() {
  tls_cert=${ASTERISK_TLS_CERT:-} tls_key=${ASTERISK_TLS_KEY:-}
  [ "$ASTERISK_TLS" != off ] || { tls_cert="" tls_key=""; return 0; }
  if [ -z "$tls_cert" ] && [ -z "$tls_key" ]; then
    bash "$IPCC_ROOT/scripts/tls-selfsigned.sh" 2>/dev/null
    tls_cert=$IPCC_RUN/tls/server.crt tls_key=$IPCC_RUN/tls/server.key
  fi
  [ -f "$tls_cert" ] && [ -f "$tls_key" ] || die "ASTERISK_TLS_CERT and ASTERISK_TLS_KEY must both name readable PEM files"
}

render() {
  as_root mkdir -p "$etc"
  # Debian's stock files for what the project does not configure itself (tones, features, fax, conference).
  for f in indications.conf features.conf udptl.conf ccss.conf confbridge.conf; do
    [ -f "$IPCC_CHROOT/etc/asterisk/$f" ] && as_root cp "$IPCC_CHROOT/etc/asterisk/$f" "$etc/$f"
  done
  tls_files
  # Asterisk reads the pair inside its chroot; the key stays readable by root only.
  if [ -n "$tls_cert" ]; then
    as_root install -d -m 700 "$etc/keys"
    as_root install -m 644 "$tls_cert" "$etc/keys/asterisk.crt"
    as_root install -m 600 "$tls_key" "$etc/keys/asterisk.key"
    tls_cert=/etc/ipcc/keys/asterisk.crt tls_key=/etc/ipcc/keys/asterisk.key
  fi
  # The embedded configs #include the snippets an existing Asterisk includes (docs/operations/existing-asterisk.md).
  for f in "$IPCC_ROOT"/asterisk/etc/*.conf "$IPCC_ROOT"/asterisk/snippets/*.conf; do
    subst "$f" | as_root tee "$etc/$(basename "$f")" >/dev/null
  done
  [ -n "$tls_cert" ] || as_root rm -f "$etc"/*_tls.conf
  as_root chmod 600 "$etc/ari.conf" "$etc/ari_ipcc.conf"
  as_root chmod 600 "$etc/prometheus.conf" # the scrape password
  # The app_queue baseline of bench/full-path.ts: present only while a benchmark runs, removed otherwise so
  # the tests' Asterisk never has it.
  for f in pjsip_bench.conf extensions_bench.conf queues.conf; do
    if [ -f "$IPCC_RUN/bench-asterisk/$f" ]; then
      as_root cp "$IPCC_RUN/bench-asterisk/$f" "$etc/$f"
    else
      as_root rm -f "$etc/$f"
    fi
  done
  # Generated agent endpoints (scripts/agent-endpoints.ts at provisioning, SoftACD while running).
  [ -f "$IPCC_RUN/pjsip_agents.conf" ] && as_root cp "$IPCC_RUN/pjsip_agents.conf" "$etc/pjsip_agents.conf"
  # Generated fax numbers (scripts/fax-numbers.ts at provisioning, ISAG while running: docs/fax.md).
  [ -f "$IPCC_RUN/extensions_ipcc_fax_numbers.conf" ] &&
    as_root cp "$IPCC_RUN/extensions_ipcc_fax_numbers.conf" "$etc/extensions_ipcc_fax_numbers.conf"
  # Prompts built by scripts/build-prompts.ts are played as sound:ipcc/<name>.
  if [ -d "$IPCC_ROOT/asterisk/prompts/build" ]; then
    as_root mkdir -p "$ASTERISK_SOUNDS_DIR/ipcc"
    as_root cp -a "$IPCC_ROOT/asterisk/prompts/build/." "$ASTERISK_SOUNDS_DIR/ipcc/"
  fi
  return 0
}

# The snippets for an existing Asterisk (docs/operations/existing-asterisk.md), rendered with this
# environment into DIR. ASTERISK_TLS_CERT/ASTERISK_TLS_KEY name the pair as that Asterisk sees it; without
# them the TLS snippets are left out. ari_ipcc.conf holds the ARI password: its owner alone may read it.
snippets() {
  local out=${1:-} f
  [ -n "$out" ] || die "usage: $0 snippets DIR"
  mkdir -p "$out"
  tls_cert=${ASTERISK_TLS_CERT:-} tls_key=${ASTERISK_TLS_KEY:-}
  for f in "$IPCC_ROOT"/asterisk/snippets/*.conf; do
    case $f in *_tls.conf) [ -n "$tls_cert" ] || continue ;; esac
    subst "$f" >"$out/$(basename "$f")"
  done
  chmod 600 "$out/ari_ipcc.conf"
  log "snippets written to $out"
}

rx() { as_root chroot "$IPCC_CHROOT" /usr/sbin/asterisk -C /etc/ipcc/asterisk.conf -rx "$1"; }

start() {
  bash "$IPCC_ROOT/scripts/provision/asterisk.sh"
  render
  if port_open "$ASTERISK_HTTP_PORT"; then
    [ -f "$IPCC_RUN/pids/asterisk.pid" ] && kill -0 "$(cat "$IPCC_RUN/pids/asterisk.pid")" 2>/dev/null &&
      { log "asterisk already running"; return 0; }
    die "127.0.0.1:$ASTERISK_HTTP_PORT is taken by another process; Asterisk's HTTP/ARI needs it"
  fi
  # ARI recordings (voicemail) are written here; the package does not create it.
  as_root mkdir -p "$IPCC_CHROOT/var/run/asterisk" "$IPCC_CHROOT/var/spool/asterisk/recording"
  sudo_cmd=(); [ "$(id -u)" = 0 ] || sudo_cmd=(sudo)
  start_bg asterisk "${sudo_cmd[@]}" chroot "$IPCC_CHROOT" /usr/sbin/asterisk -f -n -C /etc/ipcc/asterisk.conf
  wait_port "$ASTERISK_HTTP_PORT" "Asterisk HTTP/ARI" 300
  # ARI answers only once res_ari is loaded; PJSIP once its transports are up.
  for _ in $(seq 100); do
    curl -fsS -u "$ARI_USER:$ARI_PASSWORD" "$ARI_URL/ari/asterisk/info" >/dev/null 2>&1 && break
    sleep 0.2
  done
  curl -fsS -u "$ARI_USER:$ARI_PASSWORD" "$ARI_URL/ari/asterisk/info" >/dev/null || die "ARI does not answer"
  log "asterisk up: SIP $SIP_HOST:$SIP_PORT (udp, tcp), HTTP/ARI/ws $ARI_URL"
  [ -z "$tls_cert" ] || log "asterisk HTTPS/wss: https://$ASTERISK_HTTPS_HOST:$ASTERISK_HTTPS_PORT (wss://$ASTERISK_HTTPS_HOST:$ASTERISK_HTTPS_PORT/ws)"
}

stop() {
  if [ -f "$IPCC_RUN/pids/asterisk.pid" ]; then
    rx "core stop now" >/dev/null 2>&1 || true
    stop_bg asterisk
  fi
}

case "${1:-}" in
  start) start ;;
  # By hand: .run/pjsip_agents.conf into the running Asterisk (SoftACD does this itself on every agent
  # change from the AS: stasis-app/provisioning/endpoint-sync.ts).
  reload-agents) render; rx "module reload res_pjsip.so" ;;
  stop) stop ;;
  restart) stop; start ;;
  render) render ;;
  snippets) snippets "${2:-}" ;;
  rx) rx "$2" ;;
  *) die "usage: $0 start|stop|restart|render|snippets DIR|rx CMD" ;;
esac
