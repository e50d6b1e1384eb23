#!/usr/bin/env bash
# Installs the Debian tools that the partition tests use as independent oracles: samtools,
# bcftools and tabix (genomics), GDAL with its Python bindings (GeoTIFF/COG), OpenMS's TOPP tools
# (mzML) and zarr-python 2 with numpy (Zarr v2; called as /usr/bin/python3). Idempotent.
set -euo pipefail
bash "$(dirname "$0")/../../tools/services/install-debian-packages.sh" \
  samtools bcftools tabix gdal-bin python3-gdal python3-numpy openms python3-zarr
