#!/usr/bin/env bash
# `npm run bench [-- --quick]`: the benchmarks, each printing ratios against a baseline of the same run.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tools/quickstart/ensure-deps.sh
npm run -w @isthmus/bench bench:storage -- "$@"
