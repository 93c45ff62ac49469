"""Run a notebook top to bottom in this Python (the project's .venv) and fail on the first failing cell.

    .venv/bin/python notebooks/execute.py notebooks/01-explore-ome-zarr.ipynb [--figure key.png] [--executed out.ipynb]

The kernel is this interpreter's ipykernel, whatever kernels are installed elsewhere: a kernelspec named after the
notebook's kernel (python3) is written to a private JUPYTER_PATH, which Jupyter searches first. The notebook runs in
its own folder (so `import fairio_helpers` works) and writes its files under $FAIRIO_NOTEBOOK_OUT. --figure saves the
picture of the cell tagged "figure" (the notebook's key output, shown in docs/notebooks.md); --executed keeps the
executed notebook. Exit 1 names the failing cell and prints its error.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


def private_kernel(kernel_name: str) -> str:
    """A JUPYTER_PATH folder whose kernel KERNEL_NAME is ipykernel in this interpreter."""
    root = tempfile.mkdtemp(prefix="fairio-kernels-")
    spec = Path(root) / "kernels" / kernel_name
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "fairio .venv", "language": "python"}))
    return root


def key_figure(notebook: nbformat.NotebookNode) -> bytes | None:
    for cell in notebook.cells:
        if "figure" in cell.metadata.get("tags", []):
            for output in cell.get("outputs", []):
                if "image/png" in output.get("data", {}):
                    return base64.b64decode(output["data"]["image/png"])
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook", type=Path)
    parser.add_argument("--figure", type=Path, help="write the PNG of the cell tagged 'figure' here")
    parser.add_argument("--executed", type=Path, help="write the executed notebook here")
    parser.add_argument("--timeout", type=int, default=600, help="seconds one cell may take")
    args = parser.parse_args()

    notebook = nbformat.read(args.notebook, as_version=4)
    kernel_name = notebook.metadata.get("kernelspec", {}).get("name", "python3")
    os.environ["JUPYTER_PATH"] = private_kernel(kernel_name)
    client = NotebookClient(
        notebook,
        timeout=args.timeout,
        kernel_name=kernel_name,
        resources={"metadata": {"path": str(args.notebook.resolve().parent)}},
    )
    started = time.monotonic()
    try:
        client.execute()
    except CellExecutionError as error:
        print(f"{args.notebook}: a cell failed\n{error}", file=sys.stderr)
        return 1
    print(f"{args.notebook}: {len(notebook.cells)} cells ran in {time.monotonic() - started:.1f} s")

    if args.executed:
        nbformat.write(notebook, args.executed)
    if args.figure:
        png = key_figure(notebook)
        if png is None:
            print(f"{args.notebook}: no picture from a cell tagged 'figure'", file=sys.stderr)
            return 1
        args.figure.write_bytes(png)
    return 0


if __name__ == "__main__":
    sys.exit(main())
