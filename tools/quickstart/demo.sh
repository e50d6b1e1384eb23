#!/usr/bin/env bash
# `npm run demo [-- --stack hpc|cloud]`: the main job end to end, on embedded defaults.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tools/quickstart/ensure-deps.sh
# The AWS SDK warns that its 2027 releases will need Node 22; the versions pinned here run on 20.
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
exec node --conditions=@isthmus/source --import tsx tools/demo/src/main.ts "$@"
