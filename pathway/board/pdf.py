"""The board pack as a PDF: WeasyPrint lays out the page's HTML with its print style sheet.

WeasyPrint needs the Pango text library from the operating system (Debian: libpango-1.0-0,
libpangoft2-1.0-0; `make install` installs them with Chromium). Where it cannot load, the pack
is still printable from the browser, and `render_pdf` says so by returning None.
Style sheets and images come from Pathway's own static folder: nothing is fetched from the network.
"""
from __future__ import annotations

import logging
import mimetypes
from pathlib import Path

from flask import current_app

log = logging.getLogger(__name__)


def _asset_path(static: Path, prefix: str, url: str) -> Path:
    """The file in Pathway's static folder that `url` names; ValueError for anything else."""
    path = url.split("://", 1)[-1]
    path = "/" + (path.split("/", 1)[1] if "/" in path else "")
    path = path.split("?", 1)[0].split("#", 1)[0]
    if not path.startswith(prefix + "/"):
        raise ValueError("the board pack only reads Pathway's own assets")
    root = static.resolve()
    target = (root / path[len(prefix) + 1:]).resolve()
    if root not in target.parents or not target.is_file():
        raise ValueError("no such asset")
    return target


def render_pdf(html: str) -> bytes | None:
    try:
        from weasyprint import HTML
        from weasyprint.urls import URLFetcher, URLFetcherResponse
    except OSError:  # Pango is missing on this server
        log.warning("board pack PDF unavailable: WeasyPrint could not load the system text libraries")
        return None
    static, prefix = Path(current_app.static_folder), current_app.static_url_path

    class OwnAssets(URLFetcher):
        def fetch(self, url, headers=None):
            target = _asset_path(static, prefix, url)
            return URLFetcherResponse(url, target.read_bytes(),
                                      {"Content-Type": mimetypes.guess_type(target.name)[0] or "application/octet-stream"})

    return HTML(string=html, base_url="http://pathway.invalid/", url_fetcher=OwnAssets()).write_pdf()
