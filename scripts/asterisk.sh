#!/usr/bin/env bash
# start | stop | restart | rx "<cli command>": Asterisk in the chroot with the project's configs.
source "$(dirname "$0")/lib.sh"
load_env
etc=$IPCC_CHROOT/etc/ipcc

render() {
  as_root mkdir -p "$etc"
  # Debian's stock files for what the project does not configure itself (tones, features, fax, conference).
  for f in indications.conf features.conf udptl.conf ccss.conf confbridge.conf; do
    [ -f "$IPCC_CHROOT/etc/asterisk/$f" ] && as_root cp "$IPCC_CHROOT/etc/asterisk/$f" "$etc/$f"
  done
  for f in "$IPCC_ROOT"/asterisk/etc/*.conf; do
    sed -e "s|@ARI_USER@|$ARI_USER|g" -e "s|@ARI_PASSWORD@|$ARI_PASSWORD|g" \
      -e "s|@ARI_ALLOWED_ORIGINS@|$ARI_ALLOWED_ORIGINS|g" \
      -e "s|@ASTERISK_HTTP_HOST@|$ASTERISK_HTTP_HOST|g" -e "s|@ASTERISK_HTTP_PORT@|$ASTERISK_HTTP_PORT|g" \
      -e "s|@SIP_HOST@|$SIP_HOST|g" -e "s|@SIP_PORT@|$SIP_PORT|g" \
      -e "s|@FALLBACK_DIAL@|$FALLBACK_DIAL|g" -e "s|@FALLBACK_PROMPT@|$FALLBACK_PROMPT|g" \
      "$f" | as_root tee "$etc/$(basename "$f")" >/dev/null
  done
  as_root chmod 600 "$etc/ari.conf"
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
  # Prompts built by scripts/build-prompts.ts are played as sound:ipcc/<name>.
  if [ -d "$IPCC_ROOT/asterisk/prompts/build" ]; then
    as_root mkdir -p "$ASTERISK_SOUNDS_DIR/ipcc"
    as_root cp -a "$IPCC_ROOT/asterisk/prompts/build/." "$ASTERISK_SOUNDS_DIR/ipcc/"
  fi
  return 0
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
  rx) rx "$2" ;;
  *) die "usage: $0 start|stop|restart|render|rx CMD" ;;
esac
