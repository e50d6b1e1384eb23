#!/usr/bin/env bash
# `npm run demo [-- --stack hpc|cloud]`: the main job end to end, on embedded defaults.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tools/quickstart/ensure-deps.sh
exec node --conditions=@isthmus/source --import tsx tools/demo/src/main.ts "$@"
