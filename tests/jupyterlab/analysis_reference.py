"""References for an analysis run from the JupyterLab viewer.

Reads the run's crate (the region, z, t and channel it names), cuts that region out of the
image's level 0 with zarr-python and predicts it
- with bioimageio.core (tests/helpers/bioimageio_reference.py; `--block N` for its blocked prediction),
  which needs an input size the model accepts (the whole 512² plane here), or
- with fairio's command line (`--cli`: `fairio predict`, onnxruntime-node) on the region written as
  an OME-Zarr by ome-zarr-py, for regions of any size,
and compares the OME-Zarr result the viewer wrote with it (pass rule |out - exp| <= 1e-3 + 1e-3 |exp|).

Usage: python analysis_reference.py IMAGE.ome.zarr RUN_FOLDER MODEL [--block N | --cli FAIRIO_BIN]
  -> JSON on the last line
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import zarr

image_path, run_folder, model = sys.argv[1:4]
block = sys.argv[sys.argv.index("--block") + 1] if "--block" in sys.argv else None
cli = sys.argv[sys.argv.index("--cli") + 1] if "--cli" in sys.argv else None
crate = json.load(open(os.path.join(run_folder, "ro-crate-metadata.json")))
params = {e["name"]: e["value"] for e in crate["@graph"] if e.get("@type") == "PropertyValue"}
x, y, w, h = (int(params[k]) for k in ("regionX", "regionY", "regionWidth", "regionHeight"))
z, t = int(params["z"]), int(params["t"])
channels = [int(c) for c in str(params["channels"]).split(",")]

group = zarr.open_group(image_path, mode="r")
attrs = group.attrs.asdict()
ome = attrs.get("ome", attrs)
axes = [a["name"] for a in ome["multiscales"][0]["axes"]]
level0 = group[ome["multiscales"][0]["datasets"][0]["path"]]
index = []
for name in axes:
    index.append({"t": t, "z": z, "c": channels, "y": slice(y, y + h), "x": slice(x, x + w)}[name])
region = np.asarray(level0.oindex[tuple(index)])
kept = [a for a in axes if a in ("c", "y", "x")]
region = np.transpose(region, [kept.index(a) for a in ("c", "y", "x")])[None]  # b, c, y, x


def core_reference(tmp):
    np.save(os.path.join(tmp, "in.npy"), region)
    helper = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "helpers", "bioimageio_reference.py")
    cmd = [sys.executable, helper, "predict", model, os.path.join(tmp, "in.npy"), os.path.join(tmp, "out.npy")] + (["--block", block] if block else [])
    run = subprocess.run(cmd, capture_output=True, text=True)
    if run.returncode:
        raise SystemExit(f"bioimageio.core failed: {run.stderr[-2000:]}")
    return np.load(os.path.join(tmp, "out.npy")).astype(np.float64), json.loads(run.stdout.strip().splitlines()[-1])["seconds"]


def cli_reference(tmp):
    from ome_zarr.io import parse_url
    from ome_zarr.writer import write_image

    crop = os.path.join(tmp, "region.ome.zarr")
    write_image(region[0], zarr.group(store=parse_url(crop, mode="w").store), axes="cyx", scaler=None)
    out = os.path.join(tmp, "out.ome.zarr")
    run = subprocess.run(["node", cli, "predict", "--model", model, crop, out, "--no-crate", "-q"], capture_output=True, text=True)
    if run.returncode:
        raise SystemExit(f"fairio predict failed: {run.stderr[-2000:]}")
    g = zarr.open_group(out, mode="r")
    a = g.attrs.asdict()
    path = a.get("ome", a)["multiscales"][0]["datasets"][0]["path"]
    return np.asarray(g[path][...]).astype(np.float64), None


with tempfile.TemporaryDirectory() as tmp:
    expected, reference_seconds = cli_reference(tmp) if cli else core_reference(tmp)

result = zarr.open_group(os.path.join(run_folder, "prediction.ome.zarr"), mode="r")
rattrs = result.attrs.asdict()["ome"]
actual = np.asarray(result[rattrs["multiscales"][0]["datasets"][0]["path"]][...]).astype(np.float64)
expected = expected.reshape(actual.shape)
diff = np.abs(actual - expected)
bad = int(np.sum(diff > 1e-3 + 1e-3 * np.abs(expected)))
translation = [t for t in rattrs["multiscales"][0]["datasets"][0]["coordinateTransformations"] if t["type"] == "translation"]
print(json.dumps({
    "shape": list(actual.shape), "region": [x, y, w, h], "max_abs_diff": float(diff.max()), "failing": bad,
    "expected_mean": float(expected.mean()), "reference": "fairio predict" if cli else "bioimageio.core", "reference_seconds": reference_seconds,
    "translation": translation[0]["translation"] if translation else None,
}))
