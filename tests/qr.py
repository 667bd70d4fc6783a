"""Reading the QR codes the app renders, as a phone's camera would: zbar (Debian's libzbar0, through pyzbar)."""

from __future__ import annotations

import io

from PIL import Image


def decode(image_bytes: bytes) -> list[str]:
    """Every QR code found in a PNG (a served image or a browser screenshot), as text."""
    from pyzbar.pyzbar import ZBarSymbol
    from pyzbar.pyzbar import decode as zbar_decode

    image = Image.open(io.BytesIO(image_bytes)).convert("L")
    return [symbol.data.decode("utf-8") for symbol in zbar_decode(image, symbols=[ZBarSymbol.QRCODE])]
