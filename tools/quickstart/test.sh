#!/usr/bin/env bash
# `npm test`: installs what the tests need (Debian build tools for the Lambda runtime client's
# native addon, npm packages, buildah/podman, the partition tests' oracle tools, Chromium and the
# manual pages for the RAG app, kcat, lz4 and zstd for the streams tests), lints (Biome, then the layering between packages,
# .dependency-cruiser.cjs), typechecks and builds every project
# (cached by Nx), starts the local S3 server and Slurm, then runs the whole vitest suite with a
# JSON report.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash libs/faas/src/backends/lambda/install-deps.sh
bash tools/quickstart/ensure-deps.sh
if [[ ! -f node_modules/aws-lambda-ric/dist/rapid-client.node ]]; then
  # an earlier install (e.g. by npm run demo, without the build tools) skipped the optional addon
  echo "[setup] building the AWS Lambda runtime interface client (npm ci, a few minutes)" >&2
  npm ci --no-audit --no-fund
fi
npx biome ci .
npm run --silent lint:layers
npx nx run-many -t typecheck build --outputStyle=static
bash tools/services/rgw.sh start
bash tools/services/slurm.sh start
bash libs/faas/src/packaging/oci/install-deps.sh
bash libs/partition/install-oracles.sh
bash apps/rag/install-deps.sh
bash libs/streams/install-deps.sh
mkdir -p .isthmus/reports
# The SDK warns once per worker that its 2027 releases will need Node 22; the versions pinned here run on 20.
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
npx vitest run --reporter=default --reporter=json --outputFile.json=.isthmus/reports/vitest.json "$@"
