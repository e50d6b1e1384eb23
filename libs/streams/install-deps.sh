#!/usr/bin/env bash
# Installs the Debian package the streams library's compatibility tests and README example use:
# kcat (librdkafka's command line client; Debian 12 ships kcat 1.7.1 on librdkafka 2.0.2), a stock
# Kafka client the broker must serve unchanged. Idempotent.
set -euo pipefail
bash "$(dirname "$0")/../../tools/services/install-debian-packages.sh" kcat
