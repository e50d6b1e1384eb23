#!/usr/bin/env bash
# Installs what buildOciImage and its test need, on Debian/Ubuntu, as root; does nothing when they are
# already there. Rootful buildah and podman with runc, nothing else:
# - runc is named explicitly: podman depends on "crun | runc" and would otherwise get crun, which
#   refuses the hybrid cgroup v1 setup of these machines;
# - no recommends: fuse-overlayfs and slirp4netns (rootless only), catatonit (--init), criu and
#   netavark/aardvark-dns are not needed (rootful uses the kernel's overlayfs, and podman 4.3 falls back
#   to the CNI plugins that podman depends on for a bridge network).
set -euo pipefail

missing=()
for tool in buildah podman runc; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps.sh: ${missing[*]} missing; run this script as root (apt-get install)" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt_options=(-o DPkg::Lock::Timeout=120 -y -q --no-install-recommends)
if ! apt-get install "${apt_options[@]}" buildah podman runc >/dev/null 2>&1; then
  apt-get update -o DPkg::Lock::Timeout=120 -q >/dev/null
  apt-get install "${apt_options[@]}" buildah podman runc >/dev/null
fi
echo "install-deps.sh: installed $(buildah --version | cut -d' ' -f1-3), $(podman --version), $(runc --version | head -n1)"
