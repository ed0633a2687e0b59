#!/usr/bin/env bash
# The system tools the suite drives, from Debian's packages, installed only when
# missing: a headless Chromium for the report's browser test and promtool (in
# the `prometheus` package) for `promtool check metrics`. CI runs as root on a
# clean machine; elsewhere without root, a missing tool is reported and the
# tests that need it fail (they never skip).
set -euo pipefail
missing=()
command -v chromium-headless-shell >/dev/null 2>&1 || command -v chromium >/dev/null 2>&1 \
    || missing+=(chromium-headless-shell)
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
[ "${#missing[@]}" -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
    echo "install_test_tools: missing ${missing[*]}; run as root: apt-get install -y ${missing[*]}" >&2
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# The prometheus package would start a server where an init system runs: this only wants promtool.
if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
