"""The colour pairs the pages use pass WCAG 2 AA contrast (4.5:1 for text) — read from static/css/app.css."""

import re
from pathlib import Path

import pytest

CSS = (Path(__file__).resolve().parent.parent / "static" / "css" / "app.css").read_text()
VARS = {
    name: value if len(value) == 7 else "#" + "".join(c * 2 for c in value[1:])
    for name, value in re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3})\b", CSS)
}


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_the_reference_pair_gives_21_to_1():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0


@pytest.mark.parametrize(
    "fg, bg",
    [
        ("ink", "bg"), ("ink", "card"), ("muted", "bg"), ("muted", "card"), ("green-dark", "card"),
        ("green-dark", "bg"), ("red", "card"), ("#ffffff", "green"), ("#ffffff", "green-dark"), ("blue", "card"),
        ("#6b5500", "#fff4cc"), ("red", "#fde6e4"), ("green-dark", "#e1f3e5"), ("blue", "#e3effb"),
        ("#4d3d00", "#fff4cc"), ("ink", "#fde6e4"),
    ],
)
def test_text_colours_pass_aa(fg, bg):
    colour = lambda name: name if name.startswith("#") else VARS[name]  # noqa: E731
    assert contrast(colour(fg), colour(bg)) >= 4.5, (fg, bg, round(contrast(colour(fg), colour(bg)), 2))
