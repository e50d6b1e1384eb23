#!/usr/bin/env bash
# Installs the Debian packages that building aws-lambda-ric's native addon needs: its install
# scripts build curl (autoconf, automake, libtool) and aws-lambda-cpp (cmake, g++) from sources
# shipped in the npm package, then the addon with node-gyp (python3, make). Run it before
# `npm ci`. Idempotent: installs only what is missing.
set -euo pipefail

bash "$(dirname "$0")/../../../../../tools/services/install-debian-packages.sh" \
  autoconf automake libtool make cmake g++ python3

# node-gyp compiles against Node's headers; without a local copy it downloads them from
# nodejs.org, which is not reachable here. Node as packaged for Debian (nodesource) ships them in
# <prefix>/include/node, and this machine kind's npm config points node-gyp there (nodedir=/usr).
prefix=$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")
if [[ ! -f $prefix/include/node/common.gypi ]]; then
  echo "install-deps: no Node headers in $prefix/include/node: node-gyp would try to download them" >&2
  exit 1
fi
