#!/usr/bin/env bash
# Installs FerretDB (MongoDB wire protocol) with `go install`; skipped when MONGODB_URI points elsewhere.
source "$(dirname "$0")/../lib.sh"
FERRETDB_VERSION=${FERRETDB_VERSION:-v1.24.2}
if [ -x "$IPCC_BIN/ferretdb" ] && "$IPCC_BIN/ferretdb" --version 2>/dev/null | grep -q "${FERRETDB_VERSION#v}"; then
  exit 0
fi
command -v go >/dev/null || apt_install golang-go
log "building FerretDB $FERRETDB_VERSION (a few minutes on a fresh machine)"
mkdir -p "$IPCC_BIN"
# A plain `go install` builds a binary that panics at start: FerretDB embeds build/version/version.txt,
# which its release tooling generates and the module zip lacks. So build from a copy of the module
# with that file written.
src=$IPCC_STATE/src/ferretdb-$FERRETDB_VERSION
if [ ! -f "$src/go.mod" ]; then
  moddir=$(go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -d "$moddir" ] || die "go mod download of FerretDB $FERRETDB_VERSION failed"
  mkdir -p "$(dirname "$src")"
  cp -r "$moddir" "$src.tmp" && chmod -R u+w "$src.tmp" && mv "$src.tmp" "$src"
fi
echo "$FERRETDB_VERSION" >"$src/build/version/version.txt"
(cd "$src" && go build -trimpath -o "$IPCC_BIN/ferretdb" ./cmd/ferretdb) >"$IPCC_STATE/ferretdb-install.log" 2>&1 ||
  die "building FerretDB failed, see $IPCC_STATE/ferretdb-install.log"
log "ferretdb: $("$IPCC_BIN/ferretdb" --version | head -n1)"
