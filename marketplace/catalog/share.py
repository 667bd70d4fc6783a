"""Links that preview when shared (Zalo, Facebook, Messenger read Open Graph tags): what the tags say, and a
1200×630 JPEG card drawn from the listing's photo with its title, price, household and province.

A card's URL carries a digest of everything drawn on it (`card_version`): when the title, the price, the cover photo,
the household's name or the province changes, the product page (re-rendered through the page cache's tags) names a
new URL, and the old one redirects to it. So a card can be cached for a year by browsers, proxies and the sharing
sites, and is never stale where it matters. The JPEG itself is kept in the shared cache (Redis in production) under
that URL's key; nothing is written to one server's disk.
"""

from __future__ import annotations

import hashlib
import io
import logging
import textwrap
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from flask import current_app
from flask_babel import force_locale
from PIL import Image, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError

from marketplace.catalog.models import Listing
from marketplace.extensions import cache
from marketplace.households.models import Household

log = logging.getLogger(__name__)

WIDTH, HEIGHT = 1200, 630
#: bump when the drawing changes: every card gets a new URL
LAYOUT = "1"
#: seconds a drawn card stays in the shared cache (it is drawn again on demand after that)
CARD_CACHE_SECONDS = 7 * 24 * 3600
#: DejaVu Sans has every Vietnamese letter (Debian fonts-dejavu-core; the parcel labels use it too)
FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/local/share/fonts")
GREEN, GREEN_DARK, YELLOW, WHITE = (27, 110, 58), (18, 77, 40), (245, 197, 24), (255, 255, 255)
BRAND = "Chợ Nông Sản Bưu Điện"


@dataclass(frozen=True)
class CardText:
    """What a card says (in Vietnamese, whatever the sharer's language: the card is for whoever receives it)."""

    title: str
    price: str
    household: str
    province: str
    photo: str | None

    def digest(self) -> str:
        parts = (LAYOUT, self.title, self.price, self.household, self.province, self.photo or "")
        return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=8).hexdigest()


def _province_name(code: int) -> str:
    from marketplace.web import province_names

    return province_names().get(code, "")


def listing_price(listing: Listing, locale: str = "vi") -> str:
    """`45.000 ₫/kg`: the price per selling unit, as the page's language writes it."""
    from marketplace.web import unit_label, vnd

    with force_locale(locale):
        return f"{vnd(listing.price, locale)}/{unit_label(listing.unit)}"


def listing_card_text(listing: Listing) -> CardText:
    cover = listing.cover
    return CardText(
        title=listing.title, price=listing_price(listing), household=listing.household.name,
        province=_province_name(listing.province_code), photo=cover.filename if cover else None,
    )


def household_card_text(household: Household) -> CardText:
    return CardText(title=household.name, price="", household=household.representative,
                    province=_province_name(household.province_code), photo=household.photo)


def card_version(text: CardText) -> str:
    return text.digest()


# ---- drawing -----------------------------------------------------------------------------------------------------


@lru_cache(maxsize=16)
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in FONT_DIRS:
        path = Path(folder) / name
        if path.exists():
            return ImageFont.truetype(str(path), size)
    log.warning("DejaVu Sans not found (install fonts-dejavu-core): share cards use Pillow's own font")
    return ImageFont.load_default(size)


def _fit(draw: ImageDraw.ImageDraw, text: str, font, width: int, lines: int) -> list[str]:
    """`text` wrapped to at most `lines` lines of `width` pixels, the last one cut with an ellipsis."""
    words = text.split()
    out: list[str] = []
    while words and len(out) < lines:
        line = words.pop(0)
        while words and draw.textlength(f"{line} {words[0]}", font=font) <= width:
            line = f"{line} {words.pop(0)}"
        out.append(line)
    if words or (out and draw.textlength(out[-1], font=font) > width):
        last = out[-1]
        while last and draw.textlength(last + "…", font=font) > width:
            last = last[:-1]
        out[-1] = last.rstrip() + "…"
    return out


def _photo(name: str | None) -> Image.Image | None:
    """The stored photo (shared UPLOAD_DIR), or None when there is none or it cannot be read."""
    if not name:
        return None
    path = Path(current_app.config["UPLOAD_DIR"]) / name
    try:
        with Image.open(path, formats=("WEBP", "JPEG", "PNG")) as image:
            image.draft("RGB", (WIDTH, HEIGHT))
            return image.convert("RGB")
    except (OSError, UnidentifiedImageError, ValueError):
        log.warning("share card: cannot read photo %s", name)
        return None


def draw_card(text: CardText) -> bytes:
    """The 1200×630 JPEG: the photo cover-cropped with a band of text along the bottom, or a plain green card."""
    photo = _photo(text.photo)
    margin = 48
    if photo is not None:
        canvas = ImageOps.fit(photo, (WIDTH, HEIGHT), Image.Resampling.LANCZOS, centering=(0.5, 0.45))
        band_top = HEIGHT - 230
        overlay = Image.new("RGBA", (WIDTH, HEIGHT - band_top), (*GREEN_DARK, 222))
        canvas = canvas.convert("RGBA")
        canvas.alpha_composite(overlay, (0, band_top))
        canvas = canvas.convert("RGB")
        title_lines, title_size = 1, 52
    else:
        canvas = Image.new("RGB", (WIDTH, HEIGHT), GREEN)
        draw = ImageDraw.Draw(canvas)
        draw.rectangle((0, HEIGHT - 14, WIDTH, HEIGHT), fill=YELLOW)
        band_top = 150
        title_lines, title_size = 2, 64
    draw = ImageDraw.Draw(canvas)
    # brand, top left, on a pill so that it reads on any photo
    brand_font = _font(28, bold=True)
    brand_width = int(draw.textlength(BRAND, font=brand_font))
    draw.rounded_rectangle((margin - 16, 28, margin + brand_width + 16, 80), radius=26, fill=GREEN_DARK)
    draw.text((margin, 38), BRAND, font=brand_font, fill=WHITE)

    y = band_top + 26
    title_font = _font(title_size, bold=True)
    for line in _fit(draw, text.title, title_font, WIDTH - 2 * margin, title_lines):
        draw.text((margin, y), line, font=title_font, fill=WHITE)
        y += int(title_size * 1.25)
    if text.price:
        price_font = _font(46, bold=True)
        draw.text((margin, y + 4), text.price, font=price_font, fill=YELLOW)
        y += 64
    place = " · ".join(part for part in (text.household, text.province) if part)
    if place:
        place_font = _font(32)
        line = _fit(draw, place, place_font, WIDTH - 2 * margin, 1)[0]
        draw.text((margin, y + 8), line, font=place_font, fill=WHITE)
    out = io.BytesIO()
    canvas.save(out, "JPEG", quality=84, optimize=True, progressive=True)
    return out.getvalue()


def card_bytes(kind: str, object_id: int, text: CardText) -> bytes:
    """The card's JPEG from the shared cache, drawn (and stored there) when missing."""
    key = f"share-card:{kind}:{object_id}:{card_version(text)}"
    try:
        data = cache.get(key)
    except Exception:  # the cache is down: draw it anyway
        log.exception("share card: cache unavailable")
        data = None
    if data:
        return data
    data = draw_card(text)
    try:
        cache.set(key, data, timeout=CARD_CACHE_SECONDS)
    except Exception:
        log.exception("share card: could not store %s", key)
    return data


def wrap_description(text: str, width: int = 200) -> str:
    """A description short enough for a preview."""
    return textwrap.shorten(" ".join((text or "").split()), width=width, placeholder="…")
