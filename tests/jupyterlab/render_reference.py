"""Expected rendering of an OME-Zarr view, computed independently of the viewer.

zarr-python reads the plane(s); numpy maps each channel's window [min, max] to
black .. its colour, adds the channels, and blends label images on top with an
opacity; the result is compared with a screenshot of the viewer's canvas (PIL
decodes the PNG), whose top-left corner shows the level's pixel (0, 0) 1:1.

    python render_reference.py SPEC.json

SPEC: {"store", "screenshot", "level", "z", "t", "channels": [{"index", "color": [r,g,b],
"min"?, "max"?}] (default: the OMERO window in the store), "auto": [p_lo, p_hi] (instead:
numpy percentiles of the plane at "auto_level", default "level"), "labels": [{"path", "opacity"}], "skip_tiles": [[y0, x0, y1, x1], ...],
"expected_png"?}. Prints JSON: pixels compared, max and mean absolute difference,
pixels over 2 grey levels, and the windows used.
"""

import json
import sys

import numpy as np
import zarr
from PIL import Image


def plane(group_path, level, z, t, c=None):
    group = zarr.open_group(group_path, mode="r")
    attrs = group.attrs.asdict()
    ome = attrs.get("ome", attrs)
    multiscale = ome["multiscales"][0]
    axes = [a["name"].lower() for a in multiscale["axes"]]
    array = group[multiscale["datasets"][level]["path"]]
    index = []
    for i, name in enumerate(axes):
        if name == "z":
            index.append(min(z, array.shape[i] - 1))
        elif name == "t":
            index.append(min(t, array.shape[i] - 1))
        elif name == "c":
            index.append(c or 0)
        else:
            index.append(slice(None))
    return np.asarray(array[tuple(index)]), ome


def label_color(label_id):
    # The viewer's documented colour rule: golden-angle hues at full saturation and value.
    hue = ((label_id * 137.50776) % 360) / 60
    x = 1 - abs((hue % 2) - 1)
    sectors = [(1, x, 0), (x, 1, 0), (0, 1, x), (0, x, 1), (x, 0, 1), (1, 0, x)]
    r, g, b = sectors[min(5, int(hue))]
    return [round(r * 255), round(g * 255), round(b * 255)]


def main():
    spec = json.load(open(sys.argv[1]))
    store, level, z, t = spec["store"], spec.get("level", 0), spec.get("z", 0), spec.get("t", 0)
    acc = None
    windows = []
    for channel in spec["channels"]:
        values, ome = plane(store, level, z, t, channel["index"])
        values = values.astype(np.float64)
        lo, hi = channel.get("min"), channel.get("max")
        omero = (ome.get("omero") or {}).get("channels") or []
        window = omero[channel["index"]].get("window") if channel["index"] < len(omero) else None
        if (lo is None or hi is None) and window and "auto" not in spec:
            lo, hi = window["start"], window["end"]
        if lo is None or hi is None:
            # Auto-contrast is taken from the plane at the level the viewer first showed.
            source = values if spec.get("auto_level", level) == level else plane(store, spec["auto_level"], z, t, channel["index"])[0]
            lo, hi = np.percentile(source.astype(np.float64), spec.get("auto", [0.1, 99.9]))
        windows.append([float(lo), float(hi)])
        normalised = np.clip((values - lo) / (hi - lo), 0, 1)
        contribution = normalised[..., None] * np.asarray(channel["color"], dtype=np.float64)
        acc = contribution if acc is None else acc + contribution
    rgb = np.clip(np.rint(acc), 0, 255)
    for label in spec.get("labels", []):
        ids, _ = plane(f"{store}/{label['path']}", level, z, t)
        colours = np.zeros(ids.shape + (3,))
        for label_id in np.unique(ids):
            if label_id != 0:
                colours[ids == label_id] = label_color(int(label_id))
        a = label["opacity"]
        mask = ids != 0
        rgb[mask] = np.rint(colours[mask] * a + rgb[mask] * (1 - a))
    height, width = rgb.shape[:2]
    shot = np.asarray(Image.open(spec["screenshot"]).convert("RGB"), dtype=np.float64)
    if shot.shape[0] < height or shot.shape[1] < width:
        raise SystemExit(f"screenshot {shot.shape[:2]} is smaller than the level plane {(height, width)}")
    diff = np.abs(shot[:height, :width] - rgb).max(axis=2)
    keep = np.ones((height, width), dtype=bool)
    for y0, x0, y1, x1 in spec.get("skip_tiles", []):
        keep[y0:y1, x0:x1] = False
    if spec.get("expected_png"):
        Image.fromarray(rgb.astype(np.uint8)).save(spec["expected_png"])
    print(json.dumps({
        "compared": int(keep.sum()),
        "max": float(diff[keep].max()),
        "mean": float(diff[keep].mean()),
        "over2": int((diff[keep] > 2).sum()),
        "windows": windows,
        "shape": [height, width],
    }))


if __name__ == "__main__":
    main()
