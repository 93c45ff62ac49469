"""Independent references for fairio's bioimage.io code: bioimageio.spec and bioimageio.core.

Offline use: bioimageio.spec downloads remote files (e.g. PyTorch weights named by URL) when it
performs "IO checks", and caches under ~/.cache/bioimageio. We turn both off / redirect them:
  BIOIMAGEIO_PERFORM_IO_CHECKS=false   no downloads, no hashing of remote files
  BIOIMAGEIO_CACHE_PATH=<dir>          cache inside the project (.cache/bioimageio)
  BIOIMAGEIO_HTTP_TIMEOUT=2            fail fast if anything still tries the network
Local files are still read (test tensors, ONNX weights).

Usage:
  python bioimageio_reference.py validate FILE...            -> JSON [{"file", "status", "errors"}]
  python bioimageio_reference.py predict MODEL IN.npy OUT.npy [--block N]
                                                             -> JSON {"seconds", "max_rss_mb", "blocks"}
  python bioimageio_reference.py test MODEL                  -> JSON {"status", "details"}
"""
import json
import os
import resource
import sys
import time

os.environ.setdefault("BIOIMAGEIO_PERFORM_IO_CHECKS", "false")
os.environ.setdefault("BIOIMAGEIO_HTTP_TIMEOUT", "2")
os.environ.setdefault(
    "BIOIMAGEIO_CACHE_PATH",
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".cache", "bioimageio"),
)


def validate(files):
    from bioimageio.spec import load_description

    out = []
    for f in files:
        d = load_description(f, perform_io_checks=False, format_version="discover")
        s = d.validation_summary
        out.append(
            {
                "file": f,
                "status": s.status,
                "errors": [e.msg for det in s.details for e in det.errors],
            }
        )
    print(json.dumps(out))


def predict(model_path, input_path, output_path, block=None):
    import numpy as np
    from bioimageio.core import create_prediction_pipeline, predict as core_predict
    from bioimageio.spec import load_model_description

    model = load_model_description(model_path, perform_io_checks=False, format_version="discover")
    pp = create_prediction_pipeline(model, weight_format="onnx")
    array = np.load(input_path)
    ipt = model.inputs[0]
    input_id = str(ipt.id)
    start = time.perf_counter()
    if block:
        spatial = [str(a.id) for a in ipt.axes if a.type == "space"]
        shape = {str(a.id): (block if str(a.id) in spatial else (1 if a.type == "batch" else array.shape[i])) for i, a in enumerate(ipt.axes)}
        out = core_predict(model=pp, inputs={input_id: array}, input_block_shape={input_id: shape})
    else:
        out = core_predict(model=pp, inputs={input_id: array})
    seconds = time.perf_counter() - start
    result = next(iter(out.members.values())).data.values.astype(np.float32)
    np.save(output_path, result)
    print(json.dumps({"seconds": seconds, "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "shape": list(result.shape)}))


def test(model_path):
    from bioimageio.core import test_model

    s = test_model(model_path, weight_format="onnx")
    print(json.dumps({"status": s.status, "details": [{"name": d.name, "status": d.status, "errors": [e.msg for e in d.errors]} for d in s.details]}))


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "validate":
        validate(args)
    elif command == "predict":
        block = int(args[args.index("--block") + 1]) if "--block" in args else None
        predict(args[0], args[1], args[2], block)
    elif command == "test":
        test(args[0])
    else:
        raise SystemExit(f"unknown command {command}")
