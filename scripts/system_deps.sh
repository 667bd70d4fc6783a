#!/usr/bin/env bash
# What the test suite needs from the operating system, installed when missing and allowed:
# Debian's chromium + chromium-driver (browser tests; Playwright drives /usr/bin/chromium, no browser download)
# fonts-dejavu-core (parcel labels need a TTF with Vietnamese glyphs) and libzbar0 (the tests read rendered QR codes).
# Installs only as root with apt-get; otherwise it says what to install and the tests that need it fail clearly.
set -uo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium chromium-driver)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
ldconfig -p 2>/dev/null | grep -q libzbar.so.0 || need+=(libzbar0)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && [ -z "${NO_SYSTEM_INSTALL:-}" ]; then
  echo "== installing ${need[*]} (Debian packages the tests need)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null && exit 0
  echo "could not install ${need[*]}" >&2
  exit 1
fi
echo "missing system packages: ${need[*]} — install them (sudo apt-get install ${need[*]}) or the browser and label tests fail" >&2
exit 0
