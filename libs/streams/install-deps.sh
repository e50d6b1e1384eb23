#!/usr/bin/env bash
# Installs the Debian packages the streams tests use: the lz4 and zstd command-line tools, an
# independent implementation the compression codecs are checked against. Idempotent.
set -euo pipefail
bash "$(dirname "$0")/../../tools/services/install-debian-packages.sh" lz4 zstd
