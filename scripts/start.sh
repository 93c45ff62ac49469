#!/usr/bin/env bash
# The main job on the bundled sample: set up, make the synthetic sample,
# convert it to OME-Zarr and describe it, then run example workflow (1),
# nuclei segmentation, on it end to end with fairio's demo bioimage.io model.
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
# fairio's own small bioimage.io model (built here, checked against its test tensors).
fairio model package --demo -o "$out/nuclei-model.zip" --overwrite
fairio model test "$out/nuclei-model.zip"
# Example workflow (1), run locally: convert → bioimage.io model → threshold → label → measure.
fairio workflow run workflows/examples/nuclei-segmentation/nuclei-segmentation.ga \
  image="$out/sample.ome.tiff" model="$out/nuclei-model.zip" --outdir "$out/nuclei-segmentation"
run="$out/nuclei-segmentation"
echo
echo "Results are in $(pwd)/$out:"
echo "  sample.ome.tiff        the synthetic input (2 channels, 8 z-slices, nuclei-like blobs)"
echo "  sample.ome.zarr        the OME-Zarr 0.5 image with its multiscale pyramid"
echo "  nuclei-model.zip       a bioimage.io model package (ONNX) built by fairio"
echo "  nuclei-segmentation/   the workflow run, one folder per step:"
echo "    predict/prediction.ome.zarr   nucleus probabilities of channel 0 (DAPI)"
echo "    label/labels.ome.zarr         the nuclei as a label image"
echo "    measure/table.csv             one row per nucleus ($(($(wc -l < "$run/measure/table.csv") - 1)) nuclei)"
echo "    ro-crate-metadata.json        the run's Workflow Run / Provenance Run Crate (open ro-crate-preview.html)"
