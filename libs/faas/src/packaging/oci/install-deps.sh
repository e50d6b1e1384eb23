#!/usr/bin/env bash
# Installs what buildOciImage and its test need, on Debian/Ubuntu, as root; does nothing when they are
# already there. Rootful buildah and podman with runc, nothing else:
# - runc is named explicitly: podman depends on "crun | runc" and would otherwise get crun, which
#   refuses the hybrid cgroup v1 setup of these machines;
# - no recommends: fuse-overlayfs and slirp4netns (rootless only), catatonit (--init), criu and
#   netavark/aardvark-dns are not needed (rootful uses the kernel's overlayfs, and podman 4.3 falls back
#   to the CNI plugins that podman depends on for a bridge network).
set -euo pipefail

bash "$(dirname "$0")/../../../../../tools/services/install-debian-packages.sh" buildah podman runc
