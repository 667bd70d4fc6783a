"""The shared page cache for anonymous-looking catalogue pages (home, category, province, product, storefront,
search), and its invalidation.

- A page is rendered once without its personal parts and stored in the shared cache (Flask-Caching: Redis when
  REDIS_URL is set; in-process SimpleCache in development, so `make run` needs nothing but Python; no cache in
  production without Redis, where several processes could not share one). The personal parts — the header's cart
  count, sign-in state and menu, flashed messages, CSRF tokens — are holes filled on every request from the session
  (pages.py). The response carries an ETag: a browser that has the page gets a 304.
- Each page depends on tags named from its URL (`listing:42`, `category:trai-cay`, `lists`, …). A tag's version
  is a random token in the cache; a page is served only while the versions it was rendered under are current.
  After every commit that changes what a page shows, the tags involved get new tokens (invalidation.py), so a price,
  stock or title change shows on the next request, on every server.
"""

from __future__ import annotations

import hashlib
import logging
import warnings
from pathlib import Path

from flask import Flask

from marketplace.extensions import cache

log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    """Configure the cache backend from REDIS_URL and listen for commits that change pages."""
    redis_url = app.config.get("REDIS_URL")
    if app.config.get("CACHE_TYPE"):
        pass  # set explicitly (tests, benchmarks)
    elif redis_url:
        app.config.update(CACHE_TYPE="RedisCache", CACHE_REDIS_URL=redis_url)
    elif app.config.get("PAGE_CACHE_LOCAL", True):
        app.config["CACHE_TYPE"] = "SimpleCache"  # one process (`make run`): nothing else to share it with
    else:
        app.config["CACHE_TYPE"] = "NullCache"
        if app.config.get("PAGE_CACHE", True):
            warnings.warn("REDIS_URL is not set: pages are not cached (each process would keep its own)", stacklevel=2)
    app.config.setdefault("CACHE_DEFAULT_TIMEOUT", app.config.get("PAGE_CACHE_SECONDS", 600))
    app.config.setdefault("CACHE_KEY_PREFIX", "mkt:")
    cache.init_app(app)
    app.extensions["page_cache_release"] = _release(app)

    from marketplace.pagecache import invalidation, pages

    invalidation.init_app(app)
    pages.init_app(app)


def _release(app: Flask) -> str:
    """A digest of the templates and translations: a deploy that changes how pages look starts afresh."""
    root = Path(app.root_path).parent
    digest = hashlib.blake2b(digest_size=6)
    for folder, pattern in ((root / "templates", "**/*.html"), (root / "marketplace", "**/*.po")):
        for path in sorted(folder.glob(pattern)):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()
