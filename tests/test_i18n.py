"""Every user-facing string is marked for translation and has a Vietnamese translation."""

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import i18n  # noqa: E402

#: words that may stand in a template untranslated: units, names of languages, standards and brands
ALLOWED_WORDS = {"English", "Tiếng", "Việt", "kg", "VND", "OCOP", "VietGAP", "QR", "PDF", "CSV", "SVG", "JSON", "COD",
                 "Stripe", "UPU", "S10", "EMS", "ID"}


def _visible_text(source: str) -> list[str]:
    source = re.sub(r"{#.*?#}", " ", source, flags=re.S)
    source = re.sub(r"<(script|style)\b.*?</\1>", " ", source, flags=re.S | re.I)
    source = re.sub(r"{%.*?%}|{{.*?}}", " ", source, flags=re.S)
    source = re.sub(r"<!--.*?-->", " ", source, flags=re.S)
    source = re.sub(r"<[^>]*>", "\n", source, flags=re.S)
    source = re.sub(r"&[a-z]+;|&#\d+;", " ", source)
    return [t.strip() for t in source.split("\n") if t.strip()]


@pytest.mark.parametrize("template", sorted(p.relative_to(ROOT / "templates").as_posix()
                                            for p in (ROOT / "templates").rglob("*.html")))
def test_templates_have_no_unmarked_text(template):
    text = _visible_text((ROOT / "templates" / template).read_text())
    unmarked = [t for t in text if set(re.findall(r"[A-Za-zÀ-ỹ]{2,}", t)) - ALLOWED_WORDS]
    assert not unmarked, f"{template}: text not marked for translation: {unmarked}"


def test_every_marked_string_has_a_vietnamese_translation():
    gaps = i18n.missing()
    assert gaps["vi"] == [], f"{len(gaps['vi'])} strings without Vietnamese: {gaps['vi'][:20]}"


def _unmarked_python_messages(path: Path) -> list[str]:
    """`flash("…")`, `form_errors.append("…")` and `….errors = ["…"]` with a bare string literal."""
    import ast

    tree = ast.parse(path.read_text())
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) and isinstance(
            node.args[0].value, str
        ):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name == "flash" or (name == "append" and isinstance(func, ast.Attribute)
                                   and getattr(func.value, "attr", "") in ("form_errors", "errors")):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.args[0].value!r}")
    return found


def test_python_messages_shown_to_people_are_marked():
    found = [hit for path in sorted((ROOT / "marketplace").rglob("*.py")) for hit in _unmarked_python_messages(path)]
    assert not found, found


def test_form_validation_messages_speak_the_readers_language(client):
    """WTForms' built-in messages ("This field is required.") come through the app's catalogues (WTForms has no
    Vietnamese of its own)."""
    form = {"name": "", "phone": "0901234567", "kind": "bogus", "password": "ngan", "confirm": "ngan"}
    page = client.post("/account/signup", data=form).get_data(as_text=True)
    assert "Vui lòng điền mục này." in page and "Cần từ 8 đến 128 ký tự." in page
    assert "Hãy chọn một mục trong danh sách." in page
    assert "This field is required." not in page
    client.get("/lang/en")
    page = client.post("/account/signup", data=form).get_data(as_text=True)
    assert "This field is required." in page and "Field must be between 8 and 128 characters long." in page
