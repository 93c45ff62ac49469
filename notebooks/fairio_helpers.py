"""Call the `fairio` command line from a notebook and get its answer as Python data.

    from fairio_helpers import fairio, workspace
    work = workspace("01-explore")              # a fresh folder for this notebook's files
    fairio("sample", work / "cells.ome.tiff")   # runs `fairio sample …/cells.ome.tiff --json`
    info = fairio("info", work / "cells.ome.zarr")
    info["image"]["levels"][0]["shape"]         # [2, 8, 512, 512]

Keyword arguments become options (`channels="0"` is `--channels 0`, `overwrite=True` is `--overwrite`, a list
repeats the option), so a call reads like the command in docs/cli.md. Every call adds `--json`; a failure raises
`FairioError` with fairio's own error code and message (see docs/troubleshooting.md).

Which `fairio` runs: the `FAIRIO` environment variable (a command, e.g. "node /opt/fairio/cli/dist/bin.js"), else
the build of the checkout these notebooks sit in (`cli/dist/bin.js`), else `fairio` on the PATH.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

_CHECKOUT_CLI = Path(__file__).resolve().parent.parent / "cli" / "dist" / "bin.js"


class FairioError(RuntimeError):
    """A fairio command failed; `code` is fairio's error code (INVALID_ARGUMENT, NOT_FOUND, …)."""

    def __init__(self, code: str, message: str, command: list[str]):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.command = command


def fairio_command() -> list[str]:
    """The command line prefix that starts fairio."""
    configured = os.environ.get("FAIRIO")
    if configured:
        return shlex.split(configured)
    if _CHECKOUT_CLI.exists():
        return [shutil.which("node") or "node", str(_CHECKOUT_CLI)]
    found = shutil.which("fairio")
    if found:
        return [found]
    raise FileNotFoundError("fairio not found: set FAIRIO, build the checkout (npm run setup) or put fairio on the PATH")


def _options(options: dict[str, Any]) -> list[str]:
    args: list[str] = []
    for name, value in options.items():
        flag = "--" + name.replace("_", "-")
        if value is None or value is False:
            continue
        if value is True:
            args.append(flag)
        elif isinstance(value, (list, tuple)):
            for item in value:
                args += [flag, str(item)]
        else:
            args += [flag, str(value)]
    return args


def fairio(*args: Any, **options: Any) -> Any:
    """Run `fairio ARGS OPTIONS --json` and return its JSON answer (a dict, or None when it printed nothing)."""
    command = fairio_command() + [str(a) for a in args] + _options(options) + ["--json"]
    done = subprocess.run(command, capture_output=True, text=True)
    answer = _parse(done.stdout)
    if done.returncode != 0:
        error = answer.get("error", {}) if isinstance(answer, dict) else {}
        message = error.get("message") or done.stderr.strip() or done.stdout.strip()
        raise FairioError(error.get("code", f"EXIT_{done.returncode}"), message, command)
    return answer


def _parse(stdout: str) -> Any:
    text = stdout.strip()
    if not text:
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return {"text": text}


def workspace(name: str) -> Path:
    """A fresh, empty folder for one notebook's files: $FAIRIO_NOTEBOOK_OUT/NAME, else ./fairio-output/NAME."""
    root = Path(os.environ.get("FAIRIO_NOTEBOOK_OUT", "fairio-output"))
    folder = root / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder.resolve()


def crate_entities(folder: Path | str) -> dict[str, dict[str, Any]]:
    """The entities of the RO-Crate in FOLDER (its ro-crate-metadata.json), by @id."""
    crate = json.loads((Path(folder) / "ro-crate-metadata.json").read_text())
    return {entity["@id"]: entity for entity in crate["@graph"]}


def as_list(value: Any) -> list[Any]:
    """A JSON-LD property as a list: RO-Crate writes one value bare and several as a list."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def show_labels(ax: Any, image: Any, labels: Any, alpha: float = 0.55) -> None:
    """Draw IMAGE in grey on the matplotlib axes AX with each object of LABELS (0 = background) in a colour."""
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.colors import ListedColormap

    colours = ListedColormap(plt.get_cmap("tab20").colors[:14] + plt.get_cmap("tab20").colors[16:])  # no greys
    ax.imshow(image, cmap="gray")
    objects = np.ma.masked_equal(np.asarray(labels), 0)
    ax.imshow(objects % colours.N, cmap=colours, vmin=0, vmax=colours.N - 1, alpha=alpha, interpolation="nearest")
    ax.axis("off")
