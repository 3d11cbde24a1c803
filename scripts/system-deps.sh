#!/usr/bin/env bash
# Installs the Debian packages the portal needs, when they are missing.
#   scripts/system-deps.sh run    gettext and WeasyPrint's libraries
#   scripts/system-deps.sh test   the same plus Chromium (browser tests), poppler-utils, Caddy (the TLS
#                                 proxy of the production-path test) and iproute2 (the multi-host test)
# As root it installs them with apt-get; otherwise it prints the exact command and, for `test`, fails.
set -euo pipefail

packages=(gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)
if [ "${1:-run}" = "test" ]; then
  packages+=(chromium poppler-utils caddy iproute2)
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "Missing system packages: ${missing[*]} (install them with your system's package manager)." >&2
  [ "${1:-run}" = "test" ] && exit 1 || exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  echo "Installing system packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Missing system packages. Install them with:" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  [ "${1:-run}" = "test" ] && exit 1 || exit 0
fi
