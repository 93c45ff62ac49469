"""Serve files of Zarr stores below the server's root to the viewer.

Jupyter's own /files/ route hides dot-files (unless ``ContentsManager.allow_hidden``
is set for everything) and reads whole files through the contents manager, but
Zarr v2 keeps its metadata in ``.zattrs`` / ``.zgroup`` / ``.zarray`` and sharded
Zarr v3 is read with HTTP Range requests. This route is Jupyter's authenticated
static file handler with one exception to the hidden-file rule: the Zarr metadata
names themselves. Other hidden paths, and anything outside the root, stay refused.
"""

import os

from jupyter_server.base.handlers import AuthenticatedFileHandler
from jupyter_core.paths import is_hidden
from jupyter_server.utils import url_path_join
from tornado import web

ZARR_METADATA = frozenset({".zattrs", ".zgroup", ".zarray", ".zmetadata"})


class StoreFileHandler(AuthenticatedFileHandler):
    """Files of a Zarr store, with Range support, for logged-in users only."""

    def validate_absolute_path(self, root, absolute_path):
        abs_path = web.StaticFileHandler.validate_absolute_path(self, root, absolute_path)
        abs_root = os.path.abspath(root)
        checked = os.path.dirname(abs_path) if os.path.basename(abs_path) in ZARR_METADATA else abs_path
        if not self.contents_manager.allow_hidden and checked != abs_root and is_hidden(checked, abs_root):
            raise web.HTTPError(404)
        return abs_path


def setup_handlers(web_app, root_dir):
    base_url = web_app.settings["base_url"]
    route = url_path_join(base_url, "fairio", "stores", "(.*)")
    web_app.add_handlers(".*$", [(route, StoreFileHandler, {"path": os.path.abspath(os.path.expanduser(root_dir))})])
