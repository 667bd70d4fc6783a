"""The request as the app reads it: query strings, form fields and JSON bodies, cleaned in one place.

- Query and form values (and their names) lose their control characters as they are parsed (`CleanParameters`),
  so no view, form or query ever sees a NUL byte. Forms also drop bidi overrides from text (marketplace.forms).
- Path parts with control characters match nothing (404), integer path parts are bounded to what the database holds.
- JSON bodies: nesting that would exhaust the parser's stack is a malformed body (400), strings lose their control
  characters, and `json_object()` gives a view the object it expects or answers 400 with a JSON error.
- `query_int` reads a whole number from the query string: ASCII digits only (`²` and `①` are not numbers here),
  bounded; anything else is None.
"""

from __future__ import annotations

import re

from flask import Flask, abort, jsonify, make_response, request
from flask.json.provider import DefaultJSONProvider
from flask.wrappers import Request as FlaskRequest
from werkzeug.datastructures import ImmutableMultiDict, iter_multi_items
from werkzeug.routing import IntegerConverter

from marketplace.text import has_controls, strip_controls

#: the largest value of an INTEGER column (PostgreSQL int4): ids, codes, counts
MAX_DB_INT = 2**31 - 1
#: the largest value of a BIGINT column (money in đồng)
MAX_DB_BIGINT = 2**63 - 1
_DIGITS = re.compile(r"[0-9]{1,19}")


class CleanParameters(ImmutableMultiDict):
    """Query and form parameters without control characters in their names or text values."""

    def __init__(self, mapping=None):
        if mapping is not None:
            mapping = [
                (strip_controls(key), strip_controls(value) if isinstance(value, str) else value)
                for key, value in iter_multi_items(mapping)
            ]
        super().__init__(mapping)


class Request(FlaskRequest):
    parameter_storage_class = CleanParameters


class BoundedIntegerConverter(IntegerConverter):
    """`<int:…>` that matches only what an INTEGER column can hold (a larger id is a 404, not a database error)."""

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):  # noqa: A002 - werkzeug's names
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=MAX_DB_INT if max is None else max,
                         signed=signed)


def _clean_json(value):
    """Strings of a decoded JSON document without control characters (iterative: no recursion on deep input)."""
    root = [value]
    stack = [(root, 0)]
    while stack:
        container, key = stack.pop()
        item = container[key]
        if isinstance(item, str):
            container[key] = strip_controls(item)
        elif isinstance(item, list):
            stack.extend((item, i) for i in range(len(item)))
        elif isinstance(item, dict):
            cleaned = {strip_controls(k): v for k, v in item.items()}
            item.clear()
            item.update(cleaned)
            stack.extend((item, k) for k in item)
    return root[0]


class JSONProvider(DefaultJSONProvider):
    def loads(self, s, **kwargs):
        try:
            return _clean_json(super().loads(s, **kwargs))
        except RecursionError:
            raise ValueError("JSON nested too deeply") from None


def json_error(message: str, status: int = 400):
    """Stop the request with `{"error": message}` (whatever the client accepts: it called a JSON endpoint)."""
    abort(make_response(jsonify(error=message), status))


def json_object() -> dict:
    """The request's JSON body as an object; any other body stops the request with a 400 JSON error."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        json_error("send a JSON object")
    return body


def query_int(name: str, maximum: int = MAX_DB_INT, *, grouped: bool = False) -> int | None:
    """A non-negative whole number from the query string, or None (absent, not ASCII digits, above `maximum`).
    `grouped` accepts the Vietnamese thousands separator (`1.250.000`)."""
    return parse_int(request.args.get(name, ""), maximum, grouped=grouped)


def parse_int(raw: str | None, maximum: int = MAX_DB_INT, *, grouped: bool = False) -> int | None:
    """`raw` as a non-negative whole number within `maximum`, or None."""
    raw = (raw or "").strip()
    if grouped:
        raw = raw.replace(".", "")
    if not _DIGITS.fullmatch(raw):
        return None
    value = int(raw)
    return value if value <= maximum else None


def init_app(app: Flask) -> None:
    app.request_class = Request
    app.json = JSONProvider(app)
    app.url_map.converters["int"] = BoundedIntegerConverter

    @app.url_value_preprocessor
    def _refuse_control_characters_in_paths(_endpoint, values):
        if values and any(isinstance(v, str) and has_controls(v) for v in values.values()):
            abort(404)
