"""The only resources a report may load: files under our own `static/` folder.

No network, no `data:` URL, no file outside the folder (`..` and symlinks are resolved first).
Anything else is refused; WeasyPrint then logs a warning and renders without it, so a comment
such as `<img src=file:///etc/passwd>` (escaped anyway) or `url(http://…)` fetches nothing.
"""

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.conf import settings

STATIC_ROOT = Path(settings.BASE_DIR) / "static"
BASE_URL = STATIC_ROOT.as_uri() + "/"


class RefusedURL(ValueError):
    """A report asked for a resource outside our static files."""


def static_path(url, root=STATIC_ROOT):
    """The file under `root` that `url` names, or RefusedURL."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        raise RefusedURL(f"only our static files may be loaded, not {url[:200]!r}")
    root = Path(root).resolve()
    try:
        path = Path(url2pathname(unquote(parts.path))).resolve(strict=True)
    except (OSError, RuntimeError) as error:
        raise RefusedURL(f"no such static file: {url[:200]!r}") from error
    if not path.is_relative_to(root) or not path.is_file():
        raise RefusedURL(f"outside the static files: {url[:200]!r}")
    return path


def static_url_fetcher(root=STATIC_ROOT, log=None):
    """A WeasyPrint URL fetcher serving files under `root` only; `log`, a list, receives (url, served) pairs.

    WeasyPrint is imported here, when a render starts, not when a worker process imports this module.
    """
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            try:
                path = static_path(url, root)
            except RefusedURL:
                if log is not None:
                    log.append((url, False))
                raise
            if log is not None:
                log.append((url, True))
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": content_type})

    return StaticFilesFetcher(timeout=1, allowed_protocols={"file"}, allow_redirects=False)
