"""Reference for fairio's pixel classifier: ilastik's feature bank computed
with vigra the way ilastik's lazyflow applies it (pre-smoothing with
sqrt(s^2 - 1) for s > 1, then the filter at min(s, 1) with window ratio 2),
and scikit-learn's RandomForestClassifier. Run with the system Python
(Debian python3-vigra, python3-sklearn); arrays travel as raw files.

  reference.py features IMAGE.f32 SHAPE OUT.f32 SPEC.json
      SHAPE: comma-separated spatial shape (y,x or z,y,x) of one channel
      SPEC: {"features": [[id, scale], ...], "in2d": false, "float64": false}
      OUT: every feature's components, planar, in SPEC order
  reference.py forest FEATURES.f32 N_FEATURES LABELS.u8 OUT_PREFIX SPEC.json
      FEATURES: planar [feature][pixel]; LABELS: 0 unlabelled, 1..K classes
      SPEC: {"trees": 100, "seed": 0, "train": "mask file (u8, 1 = train)", "jobs": 1}
      writes OUT_PREFIX.labels.u8 (argmax class, 1..K) and .proba.f32 ([class][pixel]);
      prints JSON with timings and accuracies on labelled pixels outside the training mask
  reference.py pipeline IMAGE.f32 SHAPE TRAIN.u8 HELD_OUT.u8 OUT_PREFIX SPEC.json
      vigra features (SPEC "features" as above) + RandomForestClassifier trained on TRAIN
      labels; writes OUT_PREFIX.labels.u8 and prints timings, held-out accuracy, peak RSS
"""
import json
import math
import sys
import time

import numpy as np
import vigra


def presmooth(image, scale):
    sigma = math.sqrt(scale * scale - 1.0) if scale > 1.0 else scale
    return vigra.filters.gaussianSmoothing(image, sigma, window_size=3.5)


def feature(image, feature_id, scale, in2d=False):
    """One ilastik feature of a single-channel image: array [components, *spatial]."""
    if in2d and image.ndim == 3:
        # ilastik's "in 2D": every z plane as a 2D image
        planes = [feature(vigra.taggedView(np.ascontiguousarray(image[z]), "yx"), feature_id, scale) for z in range(image.shape[0])]
        return np.stack(planes, axis=1)
    pre = presmooth(image, scale)
    s = min(scale, 1.0)
    def sig(v):
        return v
    if feature_id == "GaussianSmoothing":
        out = vigra.filters.gaussianSmoothing(pre, sig(s), window_size=2.0)
    elif feature_id == "LaplacianOfGaussian":
        out = vigra.filters.laplacianOfGaussian(pre, sig(s), window_size=2.0)
    elif feature_id == "GaussianGradientMagnitude":
        out = vigra.filters.gaussianGradientMagnitude(pre, sig(s), window_size=2.0)
    elif feature_id == "DifferenceOfGaussians":
        out = vigra.filters.gaussianSmoothing(pre, sig(s), window_size=2.0) - vigra.filters.gaussianSmoothing(pre, sig(0.66 * s), window_size=2.0)
    elif feature_id == "StructureTensorEigenvalues":
        out = vigra.filters.structureTensorEigenvalues(pre, sig(s), sig(0.5 * s), window_size=2.0)
    elif feature_id == "HessianOfGaussianEigenvalues":
        out = vigra.filters.hessianOfGaussianEigenvalues(pre, sig(s), window_size=2.0)
    else:
        raise ValueError(feature_id)
    out = np.asarray(out, dtype=np.float32 if image.dtype == np.float32 else np.float64).astype(np.float32)
    if out.ndim == image.ndim:
        out = out[np.newaxis]
    else:
        out = np.moveaxis(out, -1, 0)
    return out


def tagged(image, dtype=np.float32):
    return vigra.taggedView(np.ascontiguousarray(image, dtype=dtype), "zyx" if image.ndim == 3 else "yx")


def features_command(args):
    image_path, shape, out_path, spec_path = args
    shape = tuple(int(s) for s in shape.split(","))
    spec = json.load(open(spec_path))
    # "float64": evaluate the same definitions in double precision (vigra in float32 carries its own rounding noise).
    image = tagged(np.fromfile(image_path, np.float32).reshape(shape), np.float64 if spec.get("float64") else np.float32)
    with open(out_path, "wb") as out:
        for feature_id, scale in spec["features"]:
            out.write(np.ascontiguousarray(feature(image, feature_id, float(scale), spec.get("in2d", False))).tobytes())
    print(json.dumps({"ok": True}))


def forest_command(args):
    from sklearn.ensemble import RandomForestClassifier

    features_path, n_features, labels_path, prefix, spec_path = args
    spec = json.load(open(spec_path))
    n_features = int(n_features)
    x = np.fromfile(features_path, np.float32).reshape(n_features, -1).T
    labels = np.fromfile(labels_path, np.uint8)
    train = np.fromfile(spec["train"], np.uint8).astype(bool) & (labels > 0)
    held_out = (~train) & (labels > 0)
    forest = RandomForestClassifier(n_estimators=spec.get("trees", 100), random_state=spec.get("seed", 0), n_jobs=spec.get("jobs", 1))
    t0 = time.perf_counter()
    forest.fit(x[train], labels[train])
    t1 = time.perf_counter()
    proba = forest.predict_proba(x).astype(np.float32)
    t2 = time.perf_counter()
    predicted = forest.classes_[np.argmax(proba, axis=1)].astype(np.uint8)
    predicted.tofile(prefix + ".labels.u8")
    np.ascontiguousarray(proba.T).tofile(prefix + ".proba.f32")
    accuracy = float((predicted[held_out] == labels[held_out]).mean()) if held_out.any() else None
    print(json.dumps({"trainSeconds": t1 - t0, "predictSeconds": t2 - t1, "heldOutAccuracy": accuracy, "trainPixels": int(train.sum()), "heldOutPixels": int(held_out.sum()), "classes": forest.classes_.tolist()}))


def all_features(image, spec):
    """Planar [feature][pixel] float32 of every (id, scale) in spec, as ilastik computes them (float32)."""
    parts = [feature(image, feature_id, float(scale), spec.get("in2d", False)) for feature_id, scale in spec["features"]]
    return np.concatenate(parts, axis=0).reshape(sum(p.shape[0] for p in parts), -1)


def pipeline_command(args):
    """vigra features + scikit-learn forest: train on TRAIN labels, predict every pixel, score on HELD-OUT labels."""
    import resource
    from sklearn.ensemble import RandomForestClassifier

    image_path, shape, train_path, held_out_path, prefix, spec_path = args
    spec = json.load(open(spec_path))
    shape = tuple(int(s) for s in shape.split(","))
    image = tagged(np.fromfile(image_path, np.float32).reshape(shape))
    t0 = time.perf_counter()
    x = all_features(image, spec)
    t1 = time.perf_counter()
    train = np.fromfile(train_path, np.uint8)
    held_out = np.fromfile(held_out_path, np.uint8)
    rows = x[:, train > 0].T
    forest = RandomForestClassifier(n_estimators=spec.get("trees", 100), random_state=spec.get("seed", 0), n_jobs=spec.get("jobs", 1))
    forest.fit(rows, train[train > 0])
    t2 = time.perf_counter()
    proba = forest.predict_proba(x.T)
    t3 = time.perf_counter()
    predicted = forest.classes_[np.argmax(proba, axis=1)].astype(np.uint8)
    predicted.tofile(prefix + ".labels.u8")
    mask = held_out > 0
    accuracy = float((predicted[mask] == held_out[mask]).mean()) if mask.any() else None
    print(json.dumps({
        "featureSeconds": t1 - t0, "trainSeconds": t2 - t1, "predictSeconds": t3 - t2,
        "heldOutAccuracy": accuracy, "features": int(x.shape[0]), "pixels": int(x.shape[1]),
        "peakRssMiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


if __name__ == "__main__":
    {"features": features_command, "forest": forest_command, "pipeline": pipeline_command}[sys.argv[1]](sys.argv[2:])
