"""Run in a fresh interpreter by tests/test_uploads.py: sign in as the household given on the command line and post
one listing form carrying six decompression bombs; print the process's peak resident memory (VmHWM, MB) before and
after the upload, and what the page said, as JSON. A fresh process measures the upload alone."""

from __future__ import annotations

import io
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def main(identifier: str, password: str, category_id: str) -> None:
    from marketplace import create_app
    from tests.bombs import png_bomb

    app = create_app("testing")
    app.config["UPLOAD_DIR"] = tempfile.mkdtemp(prefix="probe-uploads-")
    client = app.test_client()
    assert client.post("/account/login", data={"identifier": identifier, "password": password}).status_code == 302
    client.get("/my/listings/new")  # templates compiled, translations loaded: the baseline is a warm worker
    bomb = png_bomb()
    before = peak_mb()
    response = client.post(
        "/my/listings/new",
        data={
            "title": "Xoài", "category": category_id, "unit": "kg", "price": "85.000", "stock": "4",
            "weight_grams": "1000", "availability": "in_stock",
            "photos": [(io.BytesIO(bomb), f"bom-{i}.png") for i in range(6)],
        },
        content_type="multipart/form-data",
    )
    after = peak_mb()
    print(json.dumps({"status": response.status_code, "peak_before_mb": round(before, 1),
                      "peak_after_mb": round(after, 1), "bomb_bytes": len(bomb),
                      "page": response.get_data(as_text=True)}))


if __name__ == "__main__":
    main(*sys.argv[1:4])
