#!/usr/bin/env bash
# Fax (docs/fax.md): the Debian tools ISAG turns a received TIFF into a PDF with (tiff2pdf from
# libtiff-tools; pdfinfo from poppler-utils counts its pages) and the tests make a fax from a PDF with
# (ghostscript); the spool directory Asterisk's ReceiveFAX writes into. Idempotent.
source "$(dirname "$0")/../lib.sh"
apt_install libtiff-tools poppler-utils ghostscript
# The dialplan writes ${ASTSPOOLDIR}/fax inside the chroot; ISAG reads the same directory from outside
# (ISAG_FAX_DIR, lib/config.ts). Asterisk runs as root here; another Asterisk needs its user to own it.
if [ -d "$IPCC_CHROOT/var/spool/asterisk" ]; then
  as_root install -d -m 750 "$IPCC_CHROOT/var/spool/asterisk/fax"
fi
