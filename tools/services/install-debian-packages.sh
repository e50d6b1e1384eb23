#!/usr/bin/env bash
# Usage: install-debian-packages.sh PACKAGE...
# Installs the Debian packages that are not installed yet (apt, no recommends), as root or through
# sudo; does nothing when all are there. Waits for another apt/dpkg instead of failing, and runs
# `apt-get update` only when the package lists are too old to install from.
set -euo pipefail

missing=()
for package in "$@"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
((${#missing[@]})) || exit 0

sudo=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-debian-packages: ${missing[*]} missing and not root" >&2; exit 1; }
  sudo=(sudo)
fi
echo "install-debian-packages: installing ${missing[*]}" >&2
lock=(-o DPkg::Lock::Timeout=120)
install=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${lock[@]}" install -y -qq --no-install-recommends)
if ! "${install[@]}" "${missing[@]}" >/dev/null 2>&1; then
  "${sudo[@]}" apt-get "${lock[@]}" update -qq
  "${install[@]}" "${missing[@]}" >/dev/null
fi
