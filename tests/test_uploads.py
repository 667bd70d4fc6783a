"""Photo uploads: decompression bombs are refused from the header, before any pixel is decoded; real phone photos
pass and are stored small."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from PIL import Image, ImageFile
from sqlalchemy import func, select

from marketplace.catalog.models import Listing
from tests.bombs import png_bomb
from tests.fixtures.factories import photo_bytes

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def seller(client, auth, make_household):
    household = make_household()
    auth.login(household.user)
    return household


def _listing_form(category, photos):
    return {
        "title": "Xoài cát", "category": str(category.id), "unit": "kg", "price": "85.000", "stock": "40",
        "weight_grams": "1050", "availability": "in_stock",
        "photos": [(io.BytesIO(data), name) for name, data in photos],
    }


@pytest.fixture
def decodes(monkeypatch):
    """Sizes of the pictures Pillow decodes during the test."""
    seen: list[tuple[int, int]] = []
    original = ImageFile.ImageFile.load

    def load(self):
        seen.append(self.size)
        return original(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)
    return seen


def test_the_bomb_is_small_on_disk_and_declares_fifty_megapixels():
    bomb = png_bomb()
    assert len(bomb) < 8 * 1024
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        assert Image.open(io.BytesIO(bomb)).size == (7072, 7072)


def test_a_decompression_bomb_gets_a_form_message_and_is_never_decoded(client, db, seller, make_category, decodes):
    response = client.post("/my/listings/new", data=_listing_form(make_category(), [("bom.png", png_bomb())]),
                           content_type="multipart/form-data")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "bom.png" in page and "7072 × 7072" in page and "40" in page
    assert decodes == []
    assert db.session.scalar(select(func.count()).select_from(Listing)) == 0


def test_a_photo_wider_than_12000_pixels_is_refused_even_with_few_pixels(client, db, seller, make_category, decodes):
    response = client.post("/my/listings/new", data=_listing_form(make_category(), [("dai.png", png_bomb(13_000, 2))]),
                           content_type="multipart/form-data")
    assert response.status_code == 200 and "13000 × 2" in response.get_data(as_text=True)
    assert decodes == []


def test_review_and_household_photos_refuse_bombs_too(client, db, auth, buyer, delivered_order, make_household,
                                                      decodes):
    order = delivered_order()
    auth.login(buyer)
    response = client.post(f"/orders/{order.id}/lines/{order.lines[0].id}/review",
                           data={"stars": "5", "photos": [(io.BytesIO(png_bomb()), "bom.png")]},
                           content_type="multipart/form-data")
    assert response.status_code == 400 and "7072 × 7072" in response.get_data(as_text=True)
    auth.logout()
    household = make_household()
    auth.login(household.user)
    response = client.post("/my/profile", data={
        "name": household.name, "representative": "Chú Ba", "phone": "0912345678", "province": "1",
        "ward": str(household.ward_code), "address_line": "Thôn 1", "photo": (io.BytesIO(png_bomb()), "bom.png"),
    }, content_type="multipart/form-data")
    assert response.status_code == 200 and "7072 × 7072" in response.get_data(as_text=True)
    assert decodes == []


def test_a_twelve_megapixel_phone_photo_passes_and_is_decoded_at_a_reduced_scale(client, db, seller, make_category,
                                                                                 decodes, app):
    buf = io.BytesIO()
    Image.new("RGB", (4000, 3000), (180, 140, 60)).save(buf, "JPEG", quality=85)
    response = client.post("/my/listings/new", data=_listing_form(make_category(), [("xoai.jpg", buf.getvalue())]),
                           content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert decodes and max(w * h for w, h in decodes) <= 2000 * 1500  # libjpeg scaled it down while decoding
    listing = db.session.scalar(select(Listing))
    stored = Image.open(Path(app.config["UPLOAD_DIR"]) / listing.photos[0].filename)
    assert max(stored.size) == 1200


def test_more_files_than_a_listing_holds_are_refused_before_any_is_decoded(client, db, seller, make_category,
                                                                           decodes):
    photos = [(f"{i}.jpg", photo_bytes()) for i in range(7)]
    response = client.post("/my/listings/new", data=_listing_form(make_category(), photos),
                           content_type="multipart/form-data")
    assert response.status_code == 200 and decodes == []


def test_six_bombs_in_one_form_leave_the_server_memory_where_it_was(db, make_household, make_category):
    """Measured in a fresh interpreter (the test process's own peak is whatever earlier tests left)."""
    household = make_household()
    category = make_category()
    identifier = "0" + household.user.phone[3:]
    db.session.commit()
    result = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "upload_memory_probe.py"), identifier, "secret-pass-1", str(category.id)],
        capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    print(f"\nsix 50 MP bombs ({probe['bomb_bytes']} bytes each) in one form: peak resident memory "
          f"{probe['peak_before_mb']} MB before, {probe['peak_after_mb']} MB after")
    assert probe["status"] == 200 and "7072 × 7072" in probe["page"]
    assert probe["peak_after_mb"] - probe["peak_before_mb"] < 10
