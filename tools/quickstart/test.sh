#!/usr/bin/env bash
# `npm test`: installs what the tests need, lints, typechecks and builds every project (cached by
# Nx), starts the local S3 server, then runs the whole vitest suite with a JSON report for CI.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tools/quickstart/ensure-deps.sh
npx nx run-many -t lint typecheck build --outputStyle=static
bash tools/services/rgw.sh start
mkdir -p .isthmus/reports
npx vitest run --reporter=default --reporter=json --outputFile.json=.isthmus/reports/vitest.json "$@"
