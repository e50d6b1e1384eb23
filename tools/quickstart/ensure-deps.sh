#!/usr/bin/env bash
# Installs the npm dependencies on first use (and again when package-lock.json changed): the quick
# start's commands call this so that a fresh clone needs nothing but Node 20 and npm.
set -euo pipefail
cd "$(dirname "$0")/../.."
stamp=node_modules/.package-lock.json
if [[ ! -f $stamp || package-lock.json -nt $stamp ]]; then
  echo "[setup] installing npm dependencies (npm ci)" >&2
  npm ci --no-audit --no-fund
fi
# Sources generated from installed packages (not kept in git): bundles built from the workspace's
# TypeScript sources need them before any build has run.
npm run -s -w @isthmus/partition generate
# The default embedder's word-vector cache (~44 MB, ~15 s to convert the first time on a machine).
node --conditions=@isthmus/source --import tsx libs/vectors/scripts/prepare-word-vectors.ts
