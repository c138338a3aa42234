#!/usr/bin/env bash
# Install the Debian packages listed in the given files (default: packaging/debian-packages.txt)
# that are not installed yet. Not a Debian system (no dpkg): say so and do nothing.
set -euo pipefail
[ $# -gt 0 ] || set -- "$(dirname "$0")/debian-packages.txt"
if ! command -v dpkg-query >/dev/null; then
  echo "not a Debian system: install the equivalents of $* yourself if Qt cannot start" >&2
  exit 0
fi
missing=()
for list in "$@"; do
  while read -r pkg; do
    pkg="${pkg%%#*}"; pkg="${pkg//[[:space:]]/}"
    [ -n "$pkg" ] || continue
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$pkg")
    fi
  done < "$list"
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
  echo "error: missing Debian packages (${missing[*]}) and no root or sudo to install them" >&2; exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
