"""Placeholder photos for the demo: a soft gradient, a faint dot pattern and one simple drawn motif per category.

No text is drawn (Pillow's default font has no Vietnamese glyphs). Shapes are drawn at twice the size and scaled
down, which gives smooth edges without an anti-aliasing renderer.
"""

from __future__ import annotations

import math
from functools import cache

from PIL import Image, ImageDraw, ImageFilter

WIDTH, HEIGHT = 800, 600
_S = 2  # supersampling factor
_W, _H = WIDTH * _S, HEIGHT * _S
_CX, _CY = _W // 2, _H // 2

Color = tuple[int, int, int]

#: slug → (gradient top, gradient bottom, [(motif, main colour, accent colour), …]); one photo per motif
LOOKS: dict[str, tuple[Color, Color, list[tuple[str, Color, Color]]]] = {
    "trai-cay": (
        (255, 243, 224),
        (255, 204, 128),
        [("mango", (255, 179, 0), (67, 160, 71)), ("fruit", (174, 213, 129), (56, 142, 60))],
    ),
    "rau-cu": (
        (232, 245, 233),
        (165, 214, 167),
        [("leaves", (67, 160, 71), (165, 214, 167)), ("leaves", (124, 179, 66), (220, 237, 200))],
    ),
    "gao-ngu-coc": (
        (255, 248, 225),
        (230, 205, 150),
        [("grains", (255, 253, 240), (141, 110, 99)), ("grains", (255, 236, 200), (93, 64, 55))],
    ),
    "ca-phe-tra": (
        (239, 235, 233),
        (188, 170, 164),
        [("cup", (78, 52, 46), (255, 255, 255)), ("cup", (139, 195, 74), (250, 250, 245))],
    ),
    "mat-ong-dac-san": (
        (255, 248, 225),
        (255, 213, 79),
        [("jar", (255, 160, 0), (121, 85, 72)), ("jar", (230, 120, 20), (78, 52, 46))],
    ),
    "thuy-hai-san-kho": (
        (227, 242, 253),
        (144, 202, 249),
        [("fish", (255, 138, 101), (255, 224, 178)), ("fish", (240, 98, 146), (255, 205, 210))],
    ),
    "gia-vi": (
        (252, 228, 236),
        (239, 154, 154),
        [("chili", (211, 47, 47), (56, 142, 60)), ("garlic", (250, 245, 235), (186, 104, 200))],
    ),
    "nam-mang": (
        (241, 248, 233),
        (197, 225, 165),
        [("mushroom", (141, 110, 99), (255, 248, 225)), ("mushroom", (191, 132, 80), (255, 243, 224))],
    ),
    "hat-dau": (
        (255, 243, 224),
        (215, 204, 200),
        [("nuts", (200, 150, 90), (120, 80, 50)), ("nuts", (230, 200, 150), (161, 136, 127))],
    ),
    "ocop-qua-tang": (
        (255, 235, 238),
        (244, 143, 177),
        [("gift", (229, 57, 53), (255, 214, 0)), ("gift", (46, 125, 50), (255, 214, 0))],
    ),
}
_DEFAULT_LOOK = ((236, 239, 241), (176, 190, 197), [("fruit", (255, 183, 77), (67, 160, 71))])


def _mix(a: Color, b: Color, t: float) -> Color:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


def _background(top: Color, bottom: Color) -> Image.Image:
    strip = Image.new("RGB", (1, 256))
    for y in range(256):
        strip.putpixel((0, y), _mix(top, bottom, y / 255))
    image = strip.resize((_W, _H), Image.Resampling.BILINEAR).convert("RGBA")
    dots = Image.new("RGBA", (_W, _H), (0, 0, 0, 0))
    draw = ImageDraw.Draw(dots)
    step, r = 60 * _S, 4 * _S
    for row, y in enumerate(range(step // 2, _H, step)):
        for x in range(step // 2 + (step // 2 if row % 2 else 0), _W, step):
            draw.ellipse((x - r, y - r, x + r, y + r), fill=(255, 255, 255, 60))
    return Image.alpha_composite(image, dots)


def _shadow(image: Image.Image, width: int, y: int) -> None:
    """A soft ground shadow, blurred at 1/8 scale (blurring the full-size layer is slow) and scaled up."""
    k = 8
    layer = Image.new("RGBA", (_W // k, _H // k), (0, 0, 0, 0))
    box = ((_CX - width) // k, (y - 30 * _S) // k, (_CX + width) // k, (y + 30 * _S) // k)
    ImageDraw.Draw(layer).ellipse(box, fill=(0, 0, 0, 70))
    layer = layer.filter(ImageFilter.GaussianBlur(18 * _S / k)).resize((_W, _H), Image.Resampling.BILINEAR)
    image.alpha_composite(layer)


def _leaf(draw: ImageDraw.ImageDraw, x: int, y: int, length: int, color: Color) -> None:
    draw.ellipse((x, y - length // 4, x + length, y + length // 4), fill=color)


def _stamp(layer: Image.Image, size: tuple[int, int], draw_fn, angle: float, center: tuple[float, float]) -> None:
    """Draw on a small tile (its own coordinates), rotate it and composite it onto `layer` centred at `center`."""
    tile = Image.new("RGBA", size, (0, 0, 0, 0))
    draw_fn(ImageDraw.Draw(tile), size[0] // 2, size[1] // 2)
    tile = tile.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True)
    layer.alpha_composite(tile, (round(center[0] - tile.width / 2), round(center[1] - tile.height / 2)))


def _motif(kind: str, main: Color, accent: Color) -> Image.Image:  # noqa: C901 - one branch per drawing
    s = _S
    layer = Image.new("RGBA", (_W, _H), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    highlight = (*_mix(main, (255, 255, 255), 0.45), 150)
    if kind == "mango":

        def mango(d: ImageDraw.ImageDraw, cx: int, cy: int) -> None:
            d.ellipse((cx - 230 * s, cy - 150 * s, cx + 230 * s, cy + 150 * s), fill=main)
            d.ellipse((cx - 150 * s, cy - 110 * s, cx - 10 * s, cy - 40 * s), fill=highlight)
            _leaf(d, cx + 150 * s, cy - 175 * s, 150 * s, accent)

        _stamp(layer, (620 * s, 440 * s), mango, 15, (_CX, _CY + 10 * s))
        return layer
    if kind == "fruit":
        r = 190 * s
        draw.ellipse((_CX - r, _CY - r + 20 * s, _CX + r, _CY + r + 20 * s), fill=main)
        draw.ellipse((_CX - 120 * s, _CY - 120 * s, _CX - 30 * s, _CY - 60 * s), fill=highlight)
        draw.rectangle((_CX - 6 * s, _CY - r - 20 * s, _CX + 6 * s, _CY - r + 40 * s), fill=(93, 64, 55))
        _leaf(draw, _CX + 4 * s, _CY - r - 10 * s, 150 * s, accent)
    elif kind == "leaves":
        vein = _mix(main, accent, 0.5)
        for angle, dx in ((35, -110), (-35, 110), (0, 0)):

            def leaf(d: ImageDraw.ImageDraw, cx: int, cy: int) -> None:
                d.ellipse((cx - 90 * s, cy - 210 * s, cx + 90 * s, cy + 210 * s), fill=main)
                d.rounded_rectangle((cx - 5 * s, cy - 150 * s, cx + 5 * s, cy + 250 * s), 5 * s, fill=vein)

            _stamp(layer, (200 * s, 520 * s), leaf, angle, (_CX + dx * s, _CY - 20 * s))
        draw.rounded_rectangle((_CX - 45 * s, _CY + 150 * s, _CX + 45 * s, _CY + 230 * s), 30 * s, fill=accent)
    elif kind == "grains":
        draw.chord((_CX - 260 * s, _CY - 170 * s, _CX + 260 * s, _CY + 250 * s), 0, 180, fill=accent)
        for i in range(140):
            a, rad = i * 2.39996, math.sqrt(i / 140) * 240 * s
            x, y = _CX + rad * math.cos(a), _CY + 20 * s + rad * math.sin(a) * 0.28 - 40 * s
            draw.ellipse((x - 14 * s, y - 7 * s, x + 14 * s, y + 7 * s), fill=main, outline=(210, 200, 180))
    elif kind == "cup":
        draw.ellipse((_CX - 270 * s, _CY + 120 * s, _CX + 270 * s, _CY + 200 * s), fill=accent)
        draw.rounded_rectangle((_CX - 180 * s, _CY - 120 * s, _CX + 180 * s, _CY + 170 * s), 60 * s, fill=accent)
        draw.ellipse((_CX + 140 * s, _CY - 60 * s, _CX + 260 * s, _CY + 70 * s), outline=accent, width=26 * s)
        draw.ellipse((_CX - 180 * s, _CY - 160 * s, _CX + 180 * s, _CY - 80 * s), fill=accent)
        draw.ellipse((_CX - 160 * s, _CY - 150 * s, _CX + 160 * s, _CY - 90 * s), fill=main)
    elif kind == "jar":
        draw.rounded_rectangle((_CX - 170 * s, _CY - 150 * s, _CX + 170 * s, _CY + 200 * s), 70 * s, fill=main)
        draw.rounded_rectangle((_CX - 130 * s, _CY - 220 * s, _CX + 130 * s, _CY - 140 * s), 20 * s, fill=accent)
        draw.rounded_rectangle((_CX - 120 * s, _CY - 90 * s, _CX - 60 * s, _CY + 120 * s), 30 * s, fill=highlight)
    elif kind == "fish":
        draw.polygon([(_CX + 150 * s, _CY), (_CX + 300 * s, _CY - 120 * s), (_CX + 300 * s, _CY + 120 * s)], fill=main)
        draw.ellipse((_CX - 260 * s, _CY - 130 * s, _CX + 200 * s, _CY + 130 * s), fill=main)
        draw.ellipse((_CX - 200 * s, _CY - 40 * s, _CX - 150 * s, _CY + 10 * s), fill=(60, 40, 40))
        for dx in (-60, 10, 80):
            draw.arc(
                (_CX + dx * s - 60 * s, _CY - 90 * s, _CX + dx * s + 20 * s, _CY + 90 * s),
                300,
                60,
                fill=accent,
                width=10 * s,
            )
    elif kind == "chili":

        def chili(d: ImageDraw.ImageDraw, cx: int, cy: int) -> None:
            d.ellipse((cx - 280 * s, cy - 70 * s, cx + 220 * s, cy + 70 * s), fill=main)
            d.ellipse((cx - 200 * s, cy - 50 * s, cx + 40 * s, cy - 15 * s), fill=highlight)
            d.rounded_rectangle((cx + 190 * s, cy - 30 * s, cx + 300 * s, cy + 30 * s), 20 * s, fill=accent)

        _stamp(layer, (620 * s, 160 * s), chili, 25, (_CX, _CY))
    elif kind == "garlic":
        line = _mix(main, accent, 0.35)
        draw.polygon([(_CX - 50 * s, _CY - 120 * s), (_CX, _CY - 250 * s), (_CX + 50 * s, _CY - 120 * s)], fill=main)
        for dx in (-120, 120, -60, 60, 0):
            draw.ellipse(
                (_CX + dx * s - 95 * s, _CY - 150 * s, _CX + dx * s + 95 * s, _CY + 190 * s),
                fill=main,
                outline=line,
                width=4 * s,
            )
        for dx in (-40, -15, 10, 35):
            draw.line((_CX + dx * s, _CY + 185 * s, _CX + dx * 1.6 * s, _CY + 225 * s), fill=line, width=4 * s)
    elif kind == "mushroom":
        draw.rounded_rectangle((_CX - 70 * s, _CY - 90 * s, _CX + 70 * s, _CY + 210 * s), 40 * s, fill=accent)
        draw.pieslice((_CX - 260 * s, _CY - 230 * s, _CX + 260 * s, _CY + 90 * s), 180, 360, fill=main)
        for x, y in ((-120, -110), (30, -150), (130, -90)):
            draw.ellipse(
                (_CX + x * s - 22 * s, _CY + y * s - 16 * s, _CX + x * s + 22 * s, _CY + y * s + 16 * s), fill=accent
            )
    elif kind == "nuts":

        def nut(d: ImageDraw.ImageDraw, cx: int, cy: int) -> None:
            d.ellipse((cx - 75 * s, cy - 45 * s, cx + 75 * s, cy + 45 * s), fill=main, outline=accent, width=5 * s)

        for i in range(11):
            a, rad = i * 2.39996, math.sqrt(i / 11) * 210 * s
            _stamp(
                layer, (160 * s, 100 * s), nut, (i * 37) % 180, (_CX + rad * math.cos(a), _CY + rad * math.sin(a) * 0.7)
            )
    elif kind == "gift":
        draw.rectangle((_CX - 210 * s, _CY - 110 * s, _CX + 210 * s, _CY + 200 * s), fill=main)
        draw.rectangle((_CX - 235 * s, _CY - 170 * s, _CX + 235 * s, _CY - 90 * s), fill=_mix(main, (0, 0, 0), 0.15))
        draw.rectangle((_CX - 30 * s, _CY - 170 * s, _CX + 30 * s, _CY + 200 * s), fill=accent)
        for sign in (-1, 1):
            draw.ellipse(
                (_CX + sign * 130 * s - 80 * s, _CY - 250 * s, _CX + sign * 130 * s + 80 * s, _CY - 160 * s),
                outline=accent,
                width=24 * s,
            )
    return layer


@cache
def make_photo(slug: str, variant: int = 0) -> Image.Image:
    """An 800×600 RGB placeholder for a category; `variant` picks one of the category's motifs (cached: treat the
    result as read-only)."""
    top, bottom, motifs = LOOKS.get(slug, _DEFAULT_LOOK)
    kind, main, accent = motifs[variant % len(motifs)]
    image = _background(top, bottom)
    _shadow(image, 240 * _S, _CY + 210 * _S)
    image.alpha_composite(_motif(kind, main, accent))
    return image.convert("RGB").resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)


@cache
def make_farm_photo() -> Image.Image:
    """An 800×600 landscape: sky, sun, rolling green hills with rows of crops."""
    image = _background((187, 222, 251), (255, 243, 224))
    draw = ImageDraw.Draw(image)
    draw.ellipse((_W - 300 * _S, 70 * _S, _W - 170 * _S, 200 * _S), fill=(255, 213, 79))
    hills = [((129, 199, 132), 330, 50, 0.9), ((102, 187, 106), 400, 40, 1.4), ((56, 142, 60), 480, 30, 2.1)]
    for color, base, amp, freq in hills:
        points = [(x, (base + amp * math.sin(freq * x / _W * math.pi * 2 + base)) * _S) for x in range(0, _W + 1, 8)]
        draw.polygon([(0, _H), *points, (_W, _H)], fill=color)
        row = _mix(color, (27, 94, 32), 0.35)
        for i, (x, y) in enumerate(points[::6]):
            if i % 2:
                draw.ellipse((x - 12 * _S, y + 25 * _S, x + 12 * _S, y + 45 * _S), fill=row)
    return image.convert("RGB").resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)
