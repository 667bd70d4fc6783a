"""Text that comes in from people and machines.

Control characters never reach the database (PostgreSQL refuses NUL in text, and the others only hide things), and
explicit bidirectional embeddings, overrides and isolates are removed from what is shown to people: pasted into a
title they reorder the letters around them ("xoài‮gpj.exe" reads as something else).
"""

from __future__ import annotations

import re

#: C0 controls except tab, line feed and carriage return; DEL; C1 controls; lone surrogates (not encodable)
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
#: U+202A–U+202E (embeddings, overrides, pop) and U+2066–U+2069 (isolates)
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def strip_controls(value: str) -> str:
    """`value` without control characters (tab, line feed and carriage return are kept)."""
    return CONTROL.sub("", value)


def has_controls(value: str) -> bool:
    return CONTROL.search(value) is not None


def display_text(value: str | None) -> str:
    """`value` fit to show: no control characters and no bidi overrides."""
    if not value:
        return ""
    return BIDI.sub("", CONTROL.sub("", value))
