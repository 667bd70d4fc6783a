"""Uploaded photos: checked by content (not by file name), re-encoded to WebP, with a thumbnail.

Re-encoding drops whatever else the file carried (EXIF with GPS, scripts in polyglot files) and shrinks
phone photos to something a rural 4G connection can load.

Decompression bombs (a few kilobytes of PNG that declare 50 megapixels) are refused from the header, before any
pixel is decoded: the width, the height and the memory the decoded picture would take are read from the file's
header and checked against PHOTO_MAX_PIXELS, PHOTO_MAX_SIDE and PHOTO_MAX_DECODED_BYTES. JPEGs are decoded at a
reduced scale (libjpeg's DCT scaling) when they are far bigger than what is kept. Each photo is shrunk to the size
that is stored right after decoding, so a request holds at most one full-size decoded picture at a time.
"""

from __future__ import annotations

import io
import uuid
import warnings
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError

from marketplace.text import display_text

ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP")
FULL_SIZE = 1200
THUMB_SIZE = 360
#: defaults of the PHOTO_* settings: a 40 MP phone photo passes, 12,000 px a side at most
MAX_PIXELS = 40_000_000
MAX_SIDE = 12_000
#: Pillow keeps RGB and RGBA pictures at 4 bytes a pixel
MAX_DECODED_BYTES = 128 * 1024 * 1024
#: Pillow's own guard, as a second line behind the header check (it raises above twice this number)
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

#: bytes a pixel takes once decoded, by Pillow mode (anything else: 4)
_BYTES_PER_PIXEL = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16B": 2, "I;16L": 2}


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


def _not_a_photo() -> PhotoRejected:
    return PhotoRejected(_l("This file is not a photo. Use a JPEG, PNG or WebP picture."))


def _open(data: bytes) -> Image.Image:
    """Parse the header only (Pillow opens lazily); only the JPEG, PNG and WebP readers are tried."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # check_header says it in words
            image = Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
            image.verify()  # chunk structure and checksums; decodes nothing
            return Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
    except Image.DecompressionBombError:  # more than twice MAX_IMAGE_PIXELS: Pillow refuses it itself
        raise _too_large(None) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, TypeError, EOFError) as exc:
        raise _not_a_photo() from exc


def _too_large(size: tuple[int, int] | None) -> PhotoRejected:
    mp = current_app.config.get("PHOTO_MAX_PIXELS", MAX_PIXELS) // 1_000_000
    if size is None:
        return PhotoRejected(_l("This photo has too many pixels. Use a photo of at most %(mp)d megapixels.", mp=mp))
    return PhotoRejected(
        _l("This photo is too large (%(w)d × %(h)d pixels). Use a photo of at most %(mp)d megapixels.",
           w=size[0], h=size[1], mp=mp)
    )


def check_header(image: Image.Image) -> None:
    """Refuse, from the header alone, a picture too large to decode. Raises PhotoRejected."""
    config = current_app.config
    width, height = image.size
    if width < 1 or height < 1:
        raise _not_a_photo()
    if (
        max(width, height) > config.get("PHOTO_MAX_SIDE", MAX_SIDE)
        or width * height > config.get("PHOTO_MAX_PIXELS", MAX_PIXELS)
    ):
        raise _too_large(image.size)


def decoded_bytes(image: Image.Image) -> int:
    """Memory the picture takes once decoded (at the scale the decoder will use), from its header."""
    width, height = image.size
    return width * height * _BYTES_PER_PIXEL.get(image.mode, 4)


def read_photo(stream, max_bytes: int | None = None) -> Image.Image:
    """Read and check an uploaded file; returns the picture upright, in RGB, at most FULL_SIZE a side.
    Raises PhotoRejected (not a photo, too many bytes, too many pixels)."""
    max_bytes = max_bytes or current_app.config["MAX_PHOTO_BYTES"]
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise PhotoRejected(_l("A photo may be at most %(mb)d MB.", mb=max_bytes // (1024 * 1024)))
    if not data:
        raise PhotoRejected(_l("The photo file is empty."))
    image = _open(data)
    if image.format not in ALLOWED_FORMATS:
        raise _not_a_photo()
    check_header(image)
    image.draft("RGB", (FULL_SIZE, FULL_SIZE))  # JPEG: decode at 1/2, 1/4 or 1/8 scale when that is enough
    if decoded_bytes(image) > current_app.config.get("PHOTO_MAX_DECODED_BYTES", MAX_DECODED_BYTES):
        raise _too_large(image.size)
    try:
        image.load()
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise _not_a_photo() from exc
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "RGBA", "L"):
        image = image.convert("RGBA" if "A" in image.mode or "transparency" in image.info else "RGB")
    image.thumbnail((FULL_SIZE, FULL_SIZE))
    return image.convert("RGB")


def read_uploads(storages, limit: int | None = None) -> list[Image.Image]:
    """The photos among uploaded files (werkzeug FileStorage; empty file inputs are skipped), decoded one at a time
    and shrunk to the stored size. Raises PhotoRejected naming the first file that is not an acceptable photo, or
    when there are more than `limit` files (MAX_PHOTOS by default)."""
    storages = [s for s in storages if s and s.filename]
    limit = limit or current_app.config.get("MAX_PHOTOS", 6)
    if len(storages) > limit:
        raise PhotoRejected(_l("Send at most %(n)d photos at once.", n=limit))
    images = []
    for storage in storages:
        try:
            images.append(read_photo(storage.stream))
        except PhotoRejected as exc:
            raise PhotoRejected(f"{display_text(storage.filename)[:80]}: {exc}") from None
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
