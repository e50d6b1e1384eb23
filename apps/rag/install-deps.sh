#!/usr/bin/env bash
# Installs the Debian packages the RAG app's tests, corpus and demo use: Chromium (the page is
# tested in a real headless browser, driven by playwright-core) and man-db with the Linux manual
# pages (the corpus is rendered from them). Idempotent.
set -euo pipefail
bash "$(dirname "$0")/../../tools/services/install-debian-packages.sh" \
  chromium man-db manpages manpages-dev
