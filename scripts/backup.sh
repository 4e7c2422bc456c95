#!/usr/bin/env bash
# npm run backup -- [--out file] / npm run restore -- <file> [--drop]: the store (as the ops user) and
# Asterisk's recordings in the chroot. docs/operations/backups.md. Reading the spool may need root: the
# chroot's spool belongs to the user Asterisk runs as.
source "$(dirname "$0")/lib.sh"
load_env
cd "$IPCC_ROOT"
exec ./node_modules/.bin/tsx scripts/backup.ts "$@"
