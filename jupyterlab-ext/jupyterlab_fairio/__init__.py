"""fairio for JupyterLab: the prebuilt labextension and the server route that serves OME-Zarr stores to it."""

from .handlers import setup_handlers

try:
    from importlib.metadata import version as _version

    __version__ = _version("jupyterlab-fairio")
except Exception:  # running from a source checkout that is not installed
    __version__ = "0.0.0"


def _jupyter_labextension_paths():
    return [{"src": "labextension", "dest": "jupyterlab-fairio"}]


def _jupyter_server_extension_points():
    return [{"module": "jupyterlab_fairio"}]


def _load_jupyter_server_extension(server_app):
    setup_handlers(server_app.web_app, server_app.root_dir)
    server_app.log.info("jupyterlab_fairio: serving OME-Zarr stores under /fairio/stores/")
