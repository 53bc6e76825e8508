#!/usr/bin/env bash
# Install the Debian/Ubuntu packages named in $PACKAGES that are missing: as root directly, with
# passwordless sudo otherwise; if neither works, print the exact command and carry on.
set -euo pipefail
command -v dpkg >/dev/null || { echo "Not a Debian/Ubuntu system: install the equivalents of: $PACKAGES"; exit 0; }
missing=()
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
((${#missing[@]})) || exit 0
if [[ $(id -u) == 0 ]]; then sudo=(); elif sudo -n true 2>/dev/null; then sudo=(sudo); else
  echo "Please install the system packages the product needs:"
  echo "  sudo apt-get install -y ${missing[*]}"
  exit 0
fi
echo "Installing system packages: ${missing[*]}"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
