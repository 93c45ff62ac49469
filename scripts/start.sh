#!/usr/bin/env bash
# The main job on the bundled sample: set up, make the synthetic sample,
# convert it to OME-Zarr, and describe the result.
set -euo pipefail
cd "$(dirname "$0")/.."
FAIRIO_SETUP_PYTHON=0 bash scripts/setup.sh
out=out/sample
mkdir -p "$out"
fairio() { node cli/dist/bin.js "$@"; }
fairio sample "$out/sample.ome.tiff" --overwrite
fairio convert "$out/sample.ome.tiff" "$out/sample.ome.zarr" --overwrite
fairio validate "$out/sample.ome.zarr"
fairio info "$out/sample.ome.zarr"
# fairio's own small bioimage.io model (built here, checked against its test tensors), run on the DAPI channel.
fairio model package --demo -o "$out/nuclei-demo" --overwrite
fairio model test "$out/nuclei-demo"
fairio predict --model "$out/nuclei-demo" "$out/sample.ome.zarr" "$out/nuclei.ome.zarr" --channels 0 --overwrite
echo
echo "Results are in $(pwd)/$out:"
echo "  sample.ome.tiff   the synthetic input (2 channels, 8 z-slices, nuclei-like blobs)"
echo "  sample.ome.zarr   the OME-Zarr 0.5 image with its multiscale pyramid"
echo "  nuclei-demo/      a bioimage.io model package (ONNX) built by fairio"
echo "  nuclei.ome.zarr   its nucleus probability map of channel 0 (DAPI)"
