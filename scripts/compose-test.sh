#!/usr/bin/env bash
# The compose deployment, end to end (docs/operations/containers.md): builds the images, starts
# docker/compose.yaml with podman-compose on a port set of its own (the embedded system keeps running
# beside it), waits until every part is ready, places a sipp call through the IVR to a sipp agent
# (scripts/compose-call.ts), tears the stack and its volumes down, and writes the record of the run to
# docs/operations/compose-test-last-run.json.
#   bash scripts/compose-test.sh [--keep]     (--keep: leave the stack running for a look)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
KEEP=0; [ "${1:-}" = --keep ] && KEEP=1
COMMAND="bash scripts/compose-test.sh${1:+ $1}"
PROJECT=ipcc-compose-test
RUN=$ROOT/.run/compose
ENV_FILE=$RUN/test.env
LOGS=$RUN/logs
RECORD=$ROOT/docs/operations/compose-test-last-run.json
export CONTAINERS_CONF=$ROOT/docker/containers.conf
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# The test's port set: every one distinct from the embedded system's (5060, 8088, 10000-15999, 5672,
# 4369/25672, 5432, 27017, 8090, 8091, 9461-9465, ISAG's 2525 and 8095) and from its tests' sipp ports.
export SIP_PORT=5160 ASTERISK_HTTP_PORT=8188 RTP_START=30000 RTP_END=30999
export AMQP_PORT=5673 RABBITMQ_NODENAME=ipcc-compose-test@localhost RABBITMQ_DIST_PORT=25673 ERL_EPMD_PORT=4370
export PG_PORT=5433 FERRETDB_PORT=27018 AS_PORT=8190 CTI_WS_PORT=8191
export CTI_OPS_PORT=9561 SOFTACD_OPS_PORT=9562 IVR_OPS_PORT=9563 AS_OPS_PORT=9564 ISAG_OPS_PORT=9565
export ISAG_SMTP_PORT=2625 ISAG_HTTP_PORT=8195

durations=""
step_started=0
current=start
step() { current=$1; step_started=$(date +%s); log "== $1"; }
done_step() { durations+="$current=$(($(date +%s) - step_started)) "; }
t0=$(date +%s)
cold=unknown
result=fail
detail=""
call_json="null"
isag_json="null"
failed_step=""
started=0

write_record() {
  node -e '
    const [file, command, rev, cold, result, step, detail, call, isag, total, durations] = process.argv.slice(1);
    const sec = Object.fromEntries(durations.trim().split(" ").filter(Boolean).map((d) => d.split("=")).map(([k, v]) => [k, Number(v)]));
    const record = {
      command, gitRevision: rev, date: new Date().toISOString(), cores: require("node:os").cpus().length,
      imagesCold: cold === "unknown" ? null : cold === "yes", result,
      failedStep: result === "pass" ? null : step, detail: result === "pass" ? null : detail,
      call: JSON.parse(call), isag: JSON.parse(isag), durationsSec: { ...sec, total: Number(total) },
    };
    require("node:fs").writeFileSync(file, JSON.stringify(record, null, 2) + "\n");
  ' "$RECORD" "$COMMAND" "$(git rev-parse --short HEAD)" "$cold" "$result" "$failed_step" \
    "$detail" "$call_json" "$isag_json" "$(($(date +%s) - t0))" "$durations"
  ./node_modules/.bin/prettier --write "$RECORD" >/dev/null 2>&1 || true
  log "record: $RECORD ($result)"
}

compose() { podman-compose --no-ansi --podman-path "$ROOT/docker/podman-hostnet.sh" -p "$PROJECT" -f docker/compose.yaml "$@"; }

teardown() {
  local rc=$?
  failed_step=$current
  [ "$rc" = 0 ] || [ -n "$detail" ] || detail="exit $rc in $failed_step; container logs in $LOGS"
  # Only what this run started: a failed port check must not take down a stack another run kept.
  if [ "$started" = 0 ]; then write_record; exit "$rc"; fi
  mkdir -p "$LOGS" && chmod 700 "$LOGS"
  for c in $(podman ps -a --filter "label=io.podman.compose.project=$PROJECT" --format '{{.Names}}' 2>/dev/null); do
    podman logs "$c" >"$LOGS/$c.log" 2>&1 || true
  done
  if [ "$KEEP" = 0 ]; then
    step teardown
    compose down >/dev/null 2>&1 || true
    podman network rm -f "${PROJECT}_default" >/dev/null 2>&1 || true
    for v in $(podman volume ls --filter "label=io.podman.compose.project=$PROJECT" --format '{{.Name}}' 2>/dev/null); do
      podman volume rm -f "$v" >/dev/null 2>&1 || true
    done
    done_step
  fi
  write_record
  exit "$rc"
}
trap teardown EXIT

step install
missing=()
for p in podman runc podman-compose sip-tester; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "apt-get install ${missing[*]}"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
done_step

step ports
busy=()
for p in "$ASTERISK_HTTP_PORT" "$AMQP_PORT" "$RABBITMQ_DIST_PORT" "$ERL_EPMD_PORT" "$PG_PORT" "$FERRETDB_PORT" \
  "$AS_PORT" "$CTI_WS_PORT" "$CTI_OPS_PORT" "$SOFTACD_OPS_PORT" "$IVR_OPS_PORT" "$AS_OPS_PORT" "$SIP_PORT" \
  "$ISAG_OPS_PORT" "$ISAG_SMTP_PORT" "$ISAG_HTTP_PORT"; do
  (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && busy+=("$p")
done
if [ ${#busy[@]} -gt 0 ]; then
  detail="ports already in use: ${busy[*]} (a stack left by --keep? podman-compose -p $PROJECT -f docker/compose.yaml down)"
  log "$detail"; exit 1
fi
done_step

step prepare
bash docker/prepare.sh "$ENV_FILE"
set -a
# shellcheck disable=SC1090
source "$ENV_FILE"
set +a
export IPCC_COMPOSE_DEFINITIONS=$RUN/test-definitions.json IPCC_COMPOSE_SECRETS=$RUN/test.d
done_step

step build
cold=no
for img in store rabbitmq asterisk node; do podman image exists "localhost/ipcc-$img:latest" || cold=yes; done
for img in store rabbitmq asterisk node; do
  file=docker/$img/Dockerfile; [ "$img" = node ] && file=docker/Dockerfile
  podman build --network host -q -f "$file" -t "localhost/ipcc-$img:latest" "$RUN/context" >/dev/null
done
podman image prune -f >/dev/null 2>&1 || true
done_step

step up
started=1
# Its log shows each podman run with its -e values: readable by root only.
rm -f "$RUN/compose-up.log"
(umask 077 && compose up -d >"$RUN/compose-up.log" 2>&1) || { detail="podman-compose up failed: see $RUN/compose-up.log"; exit 1; }
# podman-compose 1.0 exits 0 when a container failed to start: count them.
have=$(podman ps -a --filter "label=io.podman.compose.project=$PROJECT" --format '{{.Names}}' | wc -l)
if [ "$have" -lt 10 ]; then detail="only $have of 10 containers created: see $RUN/compose-up.log"; exit 1; fi
done_step

step ready
# Polls until `check` succeeds or the deadline passes; names what it waited for.
wait_for() {
  local what=$1 seconds=$2; shift 2
  local deadline=$(($(date +%s) + seconds))
  until "$@" >/dev/null 2>&1; do
    if [ "$(date +%s)" -gt "$deadline" ]; then detail="not ready after ${seconds}s: $what"; log "$detail"; return 1; fi
    sleep 1
  done
  log "ready: $what"
}
init_done() { [ "$(podman inspect -f '{{.State.Status}} {{.State.ExitCode}}' "${PROJECT}_init_1")" = "exited 0" ]; }
ari() { curl -fsS -u "$ARI_USER:$ARI_PASSWORD" "http://127.0.0.1:$ASTERISK_HTTP_PORT/ari$1"; }
apps_registered() { local a; a=$(ari /applications) && grep -q '"name":"softacd"' <<<"$a" && grep -q '"name":"ivr"' <<<"$a"; }
health_ready() { curl -fsS "http://127.0.0.1:$1/health/ready"; }
wait_for "init (prompts, seed, agent endpoints)" 240 init_done
wait_for "Asterisk ARI" 120 ari /asterisk/info
wait_for "Stasis apps softacd and ivr" 120 apps_registered
wait_for "AS on $AS_PORT" 120 curl -fsS "http://127.0.0.1:$AS_PORT/openapi.json"
# Each service's readiness (bus, store, ARI), where its build has the ops listener.
for s in cti:$CTI_OPS_PORT softacd:$SOFTACD_OPS_PORT ivr:$IVR_OPS_PORT as:$AS_OPS_PORT isag:$ISAG_OPS_PORT; do
  name=${s%%:*} port=${s#*:}
  if grep -q "startOps(\"$name\"" "$RUN/context/node/app/dist/"*/main.js "$RUN/context/node/app/dist/"*/*/main.js 2>/dev/null; then
    wait_for "$name /health/ready on $port" 120 health_ready "$port"
  else
    log "$name has no ops listener in this build: readiness not checked"
  fi
done
done_step

step isag
# ISAG's three doors on their own ports: the fax number's dialplan generated from the seeded fax queue
# (init, then ISAG), the SMS webhook refusing an unsigned request (403), and an e-mail accepted (ISAG
# answers 250 only once the message is stored).
faxplan=$(podman exec "${PROJECT}_asterisk_1" asterisk -C /etc/ipcc/asterisk.conf -rx "dialplan show 7000@acd" 2>&1 || true)
grep -q 'Goto(fax-in' <<<"$faxplan" || { detail="fax number 7000 not routed to fax-in: $faxplan"; exit 1; }
webhook=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'content-type: application/json' -d '{}' \
  "http://127.0.0.1:$ISAG_HTTP_PORT/sms/inbound" || true)
[ "$webhook" = 403 ] || { detail="SMS webhook without a signature answered $webhook"; exit 1; }
mail_id="compose-test-$(date +%s)-$$@example.com"
printf 'From: tester@example.com\r\nTo: support@ipcc.local\r\nSubject: compose test\r\nMessage-ID: <%s>\r\n\r\nHello from the compose test.\r\n' \
  "$mail_id" >"$RUN/compose-test.eml"
mail_start=$(date +%s%3N)
curl -sS --max-time 30 "smtp://127.0.0.1:$ISAG_SMTP_PORT" --mail-from tester@example.com \
  --mail-rcpt support@ipcc.local -T "$RUN/compose-test.eml" || { detail="ISAG did not accept the e-mail on $ISAG_SMTP_PORT"; exit 1; }
mail_ms=$(($(date +%s%3N) - mail_start))
log "isag: fax 7000 -> fax-in, webhook unsigned -> $webhook, e-mail accepted in ${mail_ms} ms"
isag_json="{\"faxNumberRouted\":\"7000\",\"unsignedWebhookStatus\":$webhook,\"emailAcceptedMs\":$mail_ms}"
done_step

step call
recordings=$(podman volume inspect "${PROJECT}_recordings" --format '{{.Mountpoint}}')
call_out=$(env SIP_HOST=127.0.0.1 SIP_PORT="$SIP_PORT" AGENT_SIP_SECRET="$AGENT_SIP_SECRET" \
  AMQP_URL="amqp://ipcc_ops:$AMQP_PASSWORD_OPS@127.0.0.1:$AMQP_PORT/$AMQP_VHOST" \
  MONGODB_URI="mongodb://ipcc_ops:$DOCSTORE_PASSWORD_OPS@127.0.0.1:$FERRETDB_PORT/ipcc?authMechanism=PLAIN" \
  COMPOSE_RECORDINGS_DIR="$recordings" ./node_modules/.bin/tsx scripts/compose-call.ts 2>&1) || {
  detail=$(tail -c 1500 <<<"$call_out"); log "$detail"; exit 1
}
call_json=$(tail -n 1 <<<"$call_out")
log "call: $call_json"
done_step
result=pass
