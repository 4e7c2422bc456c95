#!/usr/bin/env bash
# Brings the whole system up on loopback: Asterisk, RabbitMQ, the document store, every project process.
# Installs whatever is missing first. scripts/down.sh stops exactly what this started.
source "$(dirname "$0")/lib.sh"
bash "$IPCC_ROOT/scripts/provision/all.sh"
load_env
cd "$IPCC_ROOT"
if [ -f scripts/build-prompts.ts ]; then
  log "building prompts"
  ./node_modules/.bin/tsx scripts/build-prompts.ts >>"$IPCC_RUN/logs/build-prompts.log" 2>&1 || die "prompt build failed, see $IPCC_RUN/logs/build-prompts.log"
fi
bash scripts/docstore.sh start
log "seeding the demo tenant"
./node_modules/.bin/tsx as/seed.ts >>"$IPCC_RUN/logs/seed.log" 2>&1 || die "seed failed, see $IPCC_RUN/logs/seed.log"
./node_modules/.bin/tsx scripts/agent-endpoints.ts >>"$IPCC_RUN/logs/seed.log" 2>&1 || die "agent endpoints failed, see $IPCC_RUN/logs/seed.log"
./node_modules/.bin/tsx scripts/fax-numbers.ts >>"$IPCC_RUN/logs/seed.log" 2>&1 || die "fax numbers failed, see $IPCC_RUN/logs/seed.log"
bash scripts/docstore.sh tune || die "store tuning failed"
bash scripts/asterisk.sh start
./node_modules/.bin/tsx agent-ui/build.ts >>"$IPCC_RUN/logs/agent-ui-build.log" 2>&1 || die "agent-ui build failed, see $IPCC_RUN/logs/agent-ui-build.log"
bash scripts/services.sh start
# "Up" means every process says it is ready (its bus, store and ARI connections), not that it was started.
bash scripts/wait-ready.sh
# Where the demo password is (never the password itself): as/seed.ts takes SEED_PASSWORD, else writes a
# generated one to .run/demo-credentials.json (mode 600).
if [ -n "${SEED_PASSWORD:-}" ]; then demo_pw="the SEED_PASSWORD you set"; else demo_pw="\"password\" in $IPCC_RUN/demo-credentials.json"; fi
web_calls=""
IFS=',' read -r -a public_numbers <<<"${PUBLIC_VIDEO_NUMBERS:-100}"
for n in "${public_numbers[@]}"; do web_calls+="http${AS_TLS_CERT:+s}://$AS_HOST:$AS_PORT/call/${n// /} "; done
cat <<EOT

  ipcc is up (logs: $IPCC_RUN/logs, secrets: $IPCC_RUN/secrets.env)
  Asterisk SIP      udp/tcp $SIP_HOST:$SIP_PORT     (call 100 for the demo IVR)
  Asterisk ARI/ws   $ARI_URL
  Asterisk wss      $([ "${ASTERISK_TLS:-on}" = off ] && echo off || echo "wss://${ASTERISK_HTTPS_HOST:-$ASTERISK_HTTP_HOST}:${ASTERISK_HTTPS_PORT:-8089}/ws   (HTTPS too; ${ASTERISK_TLS_CERT:-self-signed, CA $IPCC_RUN/tls/ca.crt}; docs/operations/tls.md)")
  RabbitMQ          $(redact_url "$AMQP_URL")   (each service its own user)
  document store    $(redact_url "$MONGODB_URI")   (each service its own user)
  AS (REST C/D)     http${AS_TLS_CERT:+s}://$AS_HOST:$AS_PORT   (OpenAPI: /openapi.json)
  CTI agent ws      ws${CTI_TLS_CERT:+s}://$CTI_WS_HOST:$CTI_WS_PORT
  ISAG e-mail in     smtp://${ISAG_SMTP_HOST:-127.0.0.1}:${ISAG_SMTP_PORT:-2525}   (domains ${ISAG_SMTP_DOMAINS:-ipcc.local}; STARTTLS; docs/isag.md)
  ISAG HTTP         http://${ISAG_HTTP_HOST:-127.0.0.1}:${ISAG_HTTP_PORT:-8095}   (SMS webhooks)
  health, metrics   cti http://$OPS_HOST:$CTI_OPS_PORT  softacd http://$OPS_HOST:$SOFTACD_OPS_PORT  ivr http://$OPS_HOST:$IVR_OPS_PORT  as http://$OPS_HOST:$AS_OPS_PORT  isag http://$OPS_HOST:${ISAG_OPS_PORT:-9465}
                    (/health/live, /health/ready; /metrics with the bearer METRICS_TOKEN of secrets.env)
  Asterisk metrics  $ARI_URL/metrics   (basic auth: $ASTERISK_METRICS_USER, ASTERISK_METRICS_PASSWORD of secrets.env)
  agent desktop     http${AS_TLS_CERT:+s}://$AS_HOST:$AS_PORT/agent/   (sign in, choose the browser softphone or the desk phone)
  console           http${AS_TLS_CERT:+s}://$AS_HOST:$AS_PORT/agent/console.html   (supervisor: wallboard, reports; admin: also administration, IVR flows)
  customer web call $web_calls  (no account: the demo video IVR, press 1 or 2 for an agent)
  demo logins       agents 1001 1002 1003 1004 (softphone PJSIP/webrtc<login>, desk phone PJSIP/agent<login>),
                    supervisor, admin (softphone PJSIP/webrtc-admin: the flow editor's test call); password: $demo_pw
  processes         $(cd "$IPCC_RUN/pids" && for p in *.pid; do n=${p%.pid}; [[ $n == *.child ]] && continue; kill -0 "$(cat "$p")" 2>/dev/null && printf '%s ' "$n"; done)   (supervised: a crash restarts them)
EOT
