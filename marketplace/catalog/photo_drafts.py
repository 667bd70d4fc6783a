"""Photos a person already uploaded with a listing form that came back with an error: kept (re-encoded, under
UPLOAD_DIR/drafts/<user id>/) so that the form does not ask for them again; a token per photo travels in the form.

Tokens are random and looked up only under the person's own folder, so nobody can pick up another's draft. Drafts
are deleted once the listing is saved, when dropped on the form, and by a daily sweep after a day.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from flask import current_app
from PIL import Image

from marketplace.accounts.models import User
from marketplace.jobs.queue import task
from marketplace.media import store_photo

_TOKEN = re.compile(r"[0-9a-f]{32}")
MAX_AGE_SECONDS = 24 * 3600


def _folder(user: User) -> Path:
    return Path(current_app.config["UPLOAD_DIR"]) / "drafts" / str(int(user.id))


def parse(raw: str | None, limit: int = 6) -> list[str]:
    """The valid tokens in a form value (anything else is ignored)."""
    return [t for t in (raw or "").split() if _TOKEN.fullmatch(t)][:limit]


def keep(user: User, images: list[Image.Image]) -> list[str]:
    """Store the photos as drafts of `user`; their tokens."""
    tokens = []
    for image in images:
        stored = store_photo(image, f"drafts/{int(user.id)}")
        tokens.append(Path(stored.filename).stem)
    return tokens


def thumbs(user: User, tokens: list[str]) -> list[tuple[str, str]]:
    """(token, media name of its thumbnail) for the tokens whose drafts exist."""
    folder = _folder(user)
    return [(t, f"drafts/{int(user.id)}/{t}-t.webp") for t in tokens if (folder / f"{t}.webp").exists()]


def load(user: User, tokens: list[str]) -> list[Image.Image]:
    """The draft photos of `user` for these tokens (missing ones are skipped)."""
    images = []
    for token in tokens:
        path = _folder(user) / f"{token}.webp"
        if path.exists():
            with Image.open(path) as image:
                images.append(image.convert("RGB"))
    return images


def discard(user: User, tokens: list[str]) -> None:
    folder = _folder(user)
    for token in tokens:
        for name in (f"{token}.webp", f"{token}-t.webp"):
            (folder / name).unlink(missing_ok=True)


@task("catalog.clean_photo_drafts")
def clean_old(max_age: int = MAX_AGE_SECONDS) -> int:
    """Delete drafts older than a day (forms abandoned half-way); returns how many files went."""
    root = Path(current_app.config["UPLOAD_DIR"]) / "drafts"
    if not root.exists():
        return 0
    cutoff = time.time() - max_age
    gone = 0
    for path in root.glob("*/*.webp"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            gone += 1
    return gone
