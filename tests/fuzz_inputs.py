"""Hypothesis strategies for hostile HTTP input: what people paste, what scripts send, what breaks parsers."""

from __future__ import annotations

import io
import json

from hypothesis import strategies as st

from tests.bombs import png_bomb

#: values that have broken web apps before: huge and negative numbers, digits that are not ASCII, NUL and other
#: controls, bidi overrides, formats people type, very long text
NASTY = [
    "", " ", "0", "1", "2", "-1", "3", "5", "30", "90", str(2**31), str(2**31 - 1), str(2**63), str(2**63 - 1),
    str(2**64), "-" + str(2**63), "9" * 40, "1e999", "NaN", "inf", "-0", "0x1f", "1.250.000", "1.250.000đ",
    "45.000 ₫", "²", "①", "١٢٣", "𝟙𝟚𝟛", "\x00", "a\x00b", "\x1b[31m", "\r\n", "\u202e", "gpj\u202e.exe",
    "\u2066x\u2069", "\ufeff", "x" * 5000, "Ⅻ", "２０２６-０１-０１", "2026-02-30", "2026-01-01", "9999-12-31", "0001-01-01",
    "../../etc/passwd", "%00", "<script>alert(1)</script>", "' OR 1=1 --", "{{7*7}}", "+84912345678", "0912345678",
    "a@b.vn", "on", "true", "null", "[]", "{}", "cod", "card", "buyer", "household", "kg", "in_stock", "preorder",
    "vietgap", "newest", "rating", "hide", "EMA", "EMI", "EMH", "BC10000",
]

#: the sweep's values, each put in every query argument and form field of every route at once
SWEEP = ["²", "①", str(2**63), str(2**64), "9" * 40, "-1", "\x00", "a\u202eb", "x" * 5000, "NaN", "1e999",
         "2026-02-30", "", "[]"]

nasty = st.sampled_from(NASTY)
#: more than half the values are known troublemakers, the rest anything
text = st.one_of(
    nasty, nasty, nasty,
    st.text(max_size=30),
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.builds(lambda a, b: a + b, nasty, st.text(max_size=8)),
)

#: names of query arguments the views read, and a few they do not
QUERY_KEYS = ["page", "per_page", "q", "min_price", "max_price", "province", "category", "cert", "sort", "in_stock",
              "availability", "days", "next", "code", "tracking", "postman", "day", "status", "household", "from",
              "to", "lang", "x"]


def some_of(keys) -> st.SearchStrategy[dict]:
    """A dictionary holding any subset of `keys` (often many at once), each with a hostile value."""
    return st.fixed_dictionaries({}, optional={key: text for key in keys})


def json_values():
    scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**80), max_value=2**80),
                        st.floats(allow_nan=False, allow_infinity=False), text)
    return st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
                        max_leaves=12)


def json_bodies(fields: list[str]):
    """Raw JSON bodies: any value, objects with the endpoint's own fields, malformed and deeply nested text."""
    objects = st.dictionaries(st.sampled_from(fields) | text, json_values(), max_size=len(fields) + 2)
    encoded = st.one_of(json_values(), objects).map(lambda v: json.dumps(v).encode())
    broken = st.sampled_from([b"", b"{", b"[" * 50_000 + b"]" * 50_000, b'{"a": "\\ud800"}', b'"\\u0000"',
                              b"\xff\xfe", b"[1, 2]", b"null"])
    return st.one_of(encoded, broken)


def tracking_events(numbers: list[str], points: list[str]):
    """Network events about parcels and points that exist, every other field hostile or plausible."""
    plausible_time = st.datetimes(timezones=st.just(__import__("datetime").UTC)).map(lambda d: d.isoformat())
    event = st.fixed_dictionaries(
        {"tracking_number": st.sampled_from(numbers), "point_code": st.sampled_from(points)},
        optional={"event_id": text | st.integers(), "code": st.sampled_from(["EMA", "EDD", "EMI", "EMH", "RTS"]) | text,
                  "occurred_at": plausible_time | text | st.integers(), "reason": json_values()},
    )
    return event.map(lambda v: json.dumps(v).encode())


def uploads():
    """A file field's content: nothing, junk, an empty file, a decompression bomb."""
    return st.sampled_from([None, b"", b"%PDF-1.4 not an image", b"GIF89a" + b"\x00" * 20, png_bomb(4000, 4000),
                            png_bomb(13_000, 1)]).map(lambda data: None if data is None else (io.BytesIO(data), "x.png"))
