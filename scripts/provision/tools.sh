#!/usr/bin/env bash
# Debian packages the tests and the prompt builder use: SIP peers, media tools, the browser.
source "$(dirname "$0")/../lib.sh"
apt_install sip-tester baresip ffmpeg espeak-ng sox fonts-dejavu-core chromium tcpdump
