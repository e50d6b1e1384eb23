#!/usr/bin/env bash
# Installs the Debian packages the streams tests use as independent implementations: kcat
# (librdkafka, a stock Kafka client) and the lz4 and zstd command-line tools (the compression
# codecs are checked against them). Idempotent.
set -euo pipefail
bash "$(dirname "$0")/../../tools/services/install-debian-packages.sh" kcat lz4 zstd
