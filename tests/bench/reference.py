"""The Python side of fairio's benchmark (tests/bench/run.ts runs it).

Subcommands, each printing one JSON object on stdout:

  convert IN.tif OUT.ome.zarr --chunks 1,1024,1024 --levels 3 [--method local_mean]
          [--compressor blosc-zstd:5|blosc-lz4:5|none]
      TIFF -> OME-Zarr 0.5 the way the Python ecosystem does it: tifffile's
      zarr view of the TIFF, wrapped in dask, written by ome-zarr-py's
      write_image (zarr-python 3 underneath) with Blosc zstd level 5 + shuffle.
  read STORE ARRAY --mode chunk|plane
      read every chunk of one array with zarr-python, one call per chunk
      (mode chunk) or one call per z plane (mode plane).
  codec IN.tif [--chunks 8] [--rounds 3]
      Blosc zstd 5 + shuffle encode and decode speed on 1024x1024 chunks of
      the input, one thread (numcodecs, native c-blosc).
  verify IN.tif FAIRIO.ome.zarr PYTHON.ome.zarr --levels 3
      check, with zarr-python and numpy only, that fairio's level 0 equals
      the TIFF pixels and each further level is the 2x2 mean of the one below
      (same for the Python output), and describe both stores' arrays.
"""

import argparse
import json
import os
import sys
import time

STARTED = time.perf_counter()

import numpy as np  # noqa: E402
import zarr  # noqa: E402


def emit(value):
    json.dump(value, sys.stdout)
    sys.stdout.write("\n")
    sys.stdout.flush()


def shape_arg(text):
    return tuple(int(v) for v in text.split(","))


def compressor(text):
    """'blosc-zstd:5', 'blosc-lz4:5' (byte shuffle) or 'none', as fairio's --compressor names them."""
    from zarr.codecs import BloscCodec

    if text == "none":
        return None
    name, _, level = text.partition(":")
    if not name.startswith("blosc-"):
        raise SystemExit(f"unsupported compressor {text!r}")
    return BloscCodec(cname=name[len("blosc-"):], clevel=int(level or 5), shuffle="shuffle")


def convert(args):
    import dask
    import dask.array as da
    import tifffile
    from ome_zarr.format import FormatV05
    from ome_zarr.scale import Methods
    from ome_zarr.writer import write_image

    imported = time.perf_counter()
    chunks = shape_arg(args.chunks)
    store = tifffile.imread(args.input, aszarr=True)
    source = zarr.open_array(store, mode="r")
    if len(source.shape) != len(chunks):
        raise SystemExit(f"the TIFF has shape {source.shape}; --chunks has {len(chunks)} values")
    # dask blocks of whole rows: a strip-organised TIFF is then read once, not
    # once per x-chunk; ome-zarr-py rechunks to the Zarr chunks when writing.
    read_chunks = chunks[:-1] + (source.shape[-1],)
    image = da.from_zarr(source, chunks=read_chunks)
    method = Methods(args.method)
    write_image(
        image,
        args.output,
        scale_factors=[2**i for i in range(1, args.levels)],
        method=method,
        fmt=FormatV05(),
        axes="zyx"[-len(chunks):] if len(chunks) <= 3 else None,
        storage_options={
            "chunks": chunks,
            "compressor": compressor(args.compressor),
        },
    )
    store.close()
    done = time.perf_counter()
    emit(
        {
            "seconds": done - imported,
            "importSeconds": imported - STARTED,
            "shape": list(source.shape),
            "method": method.value,
            "daskScheduler": dask.config.get("scheduler", "threads"),
            "threads": os.cpu_count(),
        }
    )


def read(args):
    array = zarr.open_array(os.path.join(args.store, args.array), mode="r")
    shape = array.shape
    chunks = array.chunks
    n = len(shape)
    started = time.perf_counter()
    total = 0
    count = 0
    if args.mode == "plane":
        for index in np.ndindex(*shape[: n - 2]):
            total += array[index].nbytes
            count += 1
    else:
        grid = [range(0, s, c) for s, c in zip(shape, chunks)]
        for corner in np.ndindex(*[len(g) for g in grid]):
            sel = tuple(
                slice(g[i], min(g[i] + c, s))
                for g, i, c, s in zip(grid, corner, chunks, shape)
            )
            total += array[sel].nbytes
            count += 1
    seconds = time.perf_counter() - started
    emit({"seconds": seconds, "bytes": int(total), "calls": count, "shape": list(shape), "chunks": list(chunks)})


def codec(args):
    """Blosc zstd 5 + shuffle on 1024x1024 chunks of the input, one thread, as zarr-python encodes them."""
    import numcodecs
    import tifffile
    from numcodecs import Blosc

    numcodecs.blosc.set_nthreads(1)
    chunks = []
    with tifffile.TiffFile(args.input) as tif:
        pages = len(tif.pages)
        height, width = tif.pages[0].shape[-2:]
        side = min(1024, height, width)
        for i in range(args.chunks):
            page = tif.pages[(i * pages) // args.chunks].asarray()
            y0 = ((i * 2 + 1) * side) % (height - side + 1)
            x0 = ((i * 3 + 1) * side) % (width - side + 1)
            chunks.append(np.ascontiguousarray(page[y0 : y0 + side, x0 : x0 + side]))
    # zarr-python's BloscCodec takes the typesize from the data type (2 for uint16).
    blosc = Blosc(cname="zstd", clevel=5, shuffle=Blosc.SHUFFLE)
    encoded = [blosc.encode(c) for c in chunks]
    total = sum(c.nbytes for c in chunks)
    started = time.perf_counter()
    for _ in range(args.rounds):
        for c in chunks:
            blosc.encode(c)
    encode_seconds = time.perf_counter() - started
    started = time.perf_counter()
    for _ in range(args.rounds):
        for e in encoded:
            blosc.decode(e)
    decode_seconds = time.perf_counter() - started
    emit(
        {
            "encodeMiBps": args.rounds * total / 2**20 / encode_seconds,
            "decodeMiBps": args.rounds * total / 2**20 / decode_seconds,
            "compressionRatio": total / sum(len(e) for e in encoded),
            "chunks": args.chunks,
        }
    )


def describe(store):
    group = zarr.open_group(store, mode="r")
    ome = group.attrs.get("ome", {})
    multiscale = ome.get("multiscales", [{}])[0]
    paths = [d["path"] for d in multiscale.get("datasets", [])]
    arrays = []
    for p in paths:
        a = group[p]
        meta = a.metadata.to_dict()
        arrays.append(
            {
                "path": p,
                "shape": list(a.shape),
                "chunks": list(a.chunks),
                "dtype": str(a.dtype),
                "codecs": [c for c in meta.get("codecs", [])],
            }
        )
    size = 0
    for root, _, files in os.walk(store):
        for f in files:
            size += os.path.getsize(os.path.join(root, f))
    return {"version": ome.get("version"), "paths": paths, "arrays": arrays, "bytesOnDisk": size, "group": group}


def mean2x2(a, rounding):
    """2x2 mean of the last two axes (even sizes); 'nearest' (half up) or 'floor'."""
    s = a.astype(np.uint32)
    total = s[..., 0::2, 0::2] + s[..., 1::2, 0::2] + s[..., 0::2, 1::2] + s[..., 1::2, 1::2]
    return ((total + 2) // 4 if rounding == "nearest" else total // 4).astype(a.dtype)


def verify(args):
    import tifffile

    report = {"ok": True, "problems": []}

    def problem(text):
        report["ok"] = False
        report["problems"].append(text)

    stores = {"fairio": describe(args.fairio), "python": describe(args.python)}
    for side, info in stores.items():
        if info["version"] != "0.5":
            problem(f"{side}: ome.version is {info['version']!r}, not '0.5'")
        if len(info["paths"]) != args.levels:
            problem(f"{side}: {len(info['paths'])} levels, not {args.levels}")
    if report["ok"]:
        for i in range(args.levels):
            f, p = stores["fairio"]["arrays"][i], stores["python"]["arrays"][i]
            for key in ("shape", "chunks", "dtype"):
                if f[key] != p[key]:
                    problem(f"level {i}: fairio {key} {f[key]} but Python {p[key]}")

    checked = {"planes": 0, "pixels": 0}
    level_stats = []
    if report["ok"]:
        zf = [stores["fairio"]["group"][p] for p in stores["fairio"]["paths"]]
        zp = [stores["python"]["group"][p] for p in stores["python"]["paths"]]
        with tifffile.TiffFile(args.input) as tif:
            series = tif.series[0]
            if tuple(series.shape) != tuple(zf[0].shape) or len(tif.pages) != series.shape[0]:
                problem(f"TIFF shape {series.shape} ({len(tif.pages)} pages) but fairio level 0 {zf[0].shape}")
            else:
                planes = series.shape[0]
                # Every plane: level 0 of both stores against the TIFF, and each
                # further level against the 2x2 mean of that store's level below.
                stats = [{"level": i, "fairioExact": 0, "pythonExact": 0, "pixels": 0, "sidesDiffer": 0, "maxSideDifference": 0} for i in range(1, args.levels)]
                for z in range(planes):
                    truth = tif.pages[z].asarray()
                    below_f = zf[0][z]
                    below_p = zp[0][z]
                    if not np.array_equal(below_f, truth):
                        problem(f"fairio level 0, plane {z}: {int(np.count_nonzero(below_f != truth))} pixels differ from the TIFF")
                    if not np.array_equal(below_p, truth):
                        problem(f"Python level 0, plane {z}: {int(np.count_nonzero(below_p != truth))} pixels differ from the TIFF")
                    checked["planes"] += 1
                    checked["pixels"] += truth.size
                    for i in range(1, args.levels):
                        lf = zf[i][z]
                        lp = zp[i][z]
                        want_f = mean2x2(below_f, "nearest")
                        want_p = mean2x2(below_p, "floor")
                        st = stats[i - 1]
                        st["pixels"] += lf.size
                        if lf.shape != want_f.shape:
                            problem(f"fairio level {i}: plane shape {lf.shape}, expected {want_f.shape}")
                            break
                        st["fairioExact"] += int(np.count_nonzero(lf == want_f))
                        st["pythonExact"] += int(np.count_nonzero(lp == want_p))
                        diff = np.abs(lf.astype(np.int32) - lp.astype(np.int32))
                        st["sidesDiffer"] += int(np.count_nonzero(diff))
                        st["maxSideDifference"] = max(st["maxSideDifference"], int(diff.max()))
                        below_f, below_p = lf, lp
                for st in stats:
                    if st["fairioExact"] != st["pixels"]:
                        problem(f"fairio level {st['level']}: {st['pixels'] - st['fairioExact']} pixels are not the rounded 2x2 mean of level {st['level'] - 1}")
                    if st["pythonExact"] != st["pixels"]:
                        problem(f"Python level {st['level']}: {st['pixels'] - st['pythonExact']} pixels are not the truncated 2x2 mean of level {st['level'] - 1}")
                level_stats = stats
    for info in stores.values():
        info.pop("group", None)
    report["checked"] = checked
    report["levels"] = level_stats
    report["stores"] = stores
    emit(report)
    if not report["ok"]:
        sys.exit(1)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    c = sub.add_parser("convert")
    c.add_argument("input")
    c.add_argument("output")
    c.add_argument("--chunks", required=True)
    c.add_argument("--levels", type=int, required=True)
    c.add_argument("--method", default="local_mean", choices=["local_mean", "resize", "nearest", "zoom"])
    c.add_argument("--compressor", default="blosc-zstd:5")
    r = sub.add_parser("read")
    r.add_argument("store")
    r.add_argument("array")
    r.add_argument("--mode", choices=["chunk", "plane"], default="chunk")
    v = sub.add_parser("verify")
    v.add_argument("input")
    v.add_argument("fairio")
    v.add_argument("python")
    v.add_argument("--levels", type=int, required=True)
    k = sub.add_parser("codec")
    k.add_argument("input")
    k.add_argument("--chunks", type=int, default=8)
    k.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    {"convert": convert, "read": read, "verify": verify, "codec": codec}[args.command](args)


if __name__ == "__main__":
    main()
