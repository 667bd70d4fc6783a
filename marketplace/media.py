"""Uploaded photos: checked by content (not by file name), re-encoded to WebP, with a thumbnail.

Re-encoding drops whatever else the file carried (EXIF with GPS, scripts in polyglot files) and shrinks
phone photos to something a rural 4G connection can load.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
FULL_SIZE = 1200
THUMB_SIZE = 360
Image.MAX_IMAGE_PIXELS = 40_000_000  # refuse decompression bombs


class PhotoRejected(Exception):
    """The upload is not a photo we accept; the message says why."""


@dataclass(frozen=True)
class StoredPhoto:
    filename: str
    thumb: str


def _folder(kind: str) -> Path:
    path = Path(current_app.config["UPLOAD_DIR"]) / kind
    path.mkdir(parents=True, exist_ok=True)
    return path


def read_photo(stream, max_bytes: int | None = None) -> Image.Image:
    """Read and check an uploaded file; raises PhotoRejected."""
    max_bytes = max_bytes or current_app.config["MAX_PHOTO_BYTES"]
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise PhotoRejected(_l("A photo may be at most %(mb)d MB.", mb=max_bytes // (1024 * 1024)))
    if not data:
        raise PhotoRejected(_l("The photo file is empty."))
    try:
        image = Image.open(io.BytesIO(data))
        fmt = image.format
        image.verify()
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise PhotoRejected(_l("This file is not a photo. Use a JPEG, PNG or WebP picture.")) from exc
    if fmt not in ALLOWED_FORMATS:
        raise PhotoRejected(_l("This file is not a photo. Use a JPEG, PNG or WebP picture."))
    return ImageOps.exif_transpose(image).convert("RGB")


def read_uploads(storages) -> list[Image.Image]:
    """The photos among uploaded files (werkzeug FileStorage; empty file inputs are skipped). Raises PhotoRejected
    naming the first file that is not an acceptable photo."""
    images = []
    for storage in storages:
        if not storage or not storage.filename:
            continue
        try:
            images.append(read_photo(storage.stream))
        except PhotoRejected as exc:
            raise PhotoRejected(f"{storage.filename}: {exc}") from None
    return images


def store_photo(image: Image.Image, kind: str) -> StoredPhoto:
    """Save a full-size and a thumbnail WebP under UPLOAD_DIR/kind."""
    folder = _folder(kind)
    stem = uuid.uuid4().hex
    full = image.copy()
    full.thumbnail((FULL_SIZE, FULL_SIZE))
    full.save(folder / f"{stem}.webp", "WEBP", quality=80, method=4)
    thumb = image.copy()
    thumb.thumbnail((THUMB_SIZE, THUMB_SIZE))
    thumb.save(folder / f"{stem}-t.webp", "WEBP", quality=72, method=4)
    return StoredPhoto(filename=f"{kind}/{stem}.webp", thumb=f"{kind}/{stem}-t.webp")


def delete_photo(*names: str | None) -> None:
    root = Path(current_app.config["UPLOAD_DIR"])
    for name in names:
        if name:
            (root / name).unlink(missing_ok=True)
