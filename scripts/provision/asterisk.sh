#!/usr/bin/env bash
# Installs Debian unstable's own Asterisk package into a chroot (Asterisk is not in bookworm).
# Idempotent: a chroot that already has asterisk is only re-mounted.
source "$(dirname "$0")/../lib.sh"

mount_chroot() {
  for d in proc dev dev/pts; do
    mountpoint -q "$IPCC_CHROOT/$d" || as_root mount --bind "/$d" "$IPCC_CHROOT/$d"
  done
}

if [ ! -x "$IPCC_CHROOT/usr/sbin/asterisk" ]; then
  apt_install debootstrap
  mirror=$(debian_mirror)
  if [ ! -x "$IPCC_CHROOT/usr/bin/apt-get" ]; then
    log "debootstrap sid into $IPCC_CHROOT (about a minute)"
    as_root rm -rf "$IPCC_CHROOT"
    as_root mkdir -p "$IPCC_CHROOT"
    as_root debootstrap --variant=minbase sid "$IPCC_CHROOT" "$mirror" >"$IPCC_STATE/debootstrap.log" 2>&1 ||
      die "debootstrap failed, see $IPCC_STATE/debootstrap.log"
  fi
  mount_chroot
  # The unstable Release file is often past its Valid-Until date on mirrors/snapshots.
  echo 'Acquire::Check-Valid-Until "false"; Acquire::Check-Date "false";' |
    as_root tee "$IPCC_CHROOT/etc/apt/apt.conf.d/99ipcc" >/dev/null
  log "installing asterisk in the chroot"
  as_root chroot "$IPCC_CHROOT" apt-get update -qq >/dev/null
  as_root chroot "$IPCC_CHROOT" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends asterisk asterisk-core-sounds-en asterisk-moh-opsound-wav \
    >"$IPCC_STATE/asterisk-install.log" 2>&1 || die "asterisk install failed, see $IPCC_STATE/asterisk-install.log"
fi
mount_chroot
# Without /etc/hosts Asterisk resolves its host name (and a root server) on every call.
if ! grep -q ipcc "$IPCC_CHROOT/etc/hosts" 2>/dev/null; then
  printf '127.0.0.1\tlocalhost %s\n::1\tlocalhost ip6-localhost\n# ipcc\n' "$(hostname)" | as_root tee "$IPCC_CHROOT/etc/hosts" >/dev/null
fi
log "asterisk: $(as_root chroot "$IPCC_CHROOT" /usr/sbin/asterisk -V)"
