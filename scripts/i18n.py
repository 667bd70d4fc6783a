"""Translation catalogues: extract, update each feature's `translations/<lang>/LC_MESSAGES/messages.po`, check.

    python scripts/i18n.py extract      # write translations/messages.pot from code and templates
    python scripts/i18n.py update       # merge new strings into every .po (keeps existing translations)
    python scripts/i18n.py compile      # .po → .mo (generated, not committed)
    python scripts/i18n.py check        # exit 1 when a string has no Vietnamese translation

Each feature may keep its own catalogue under marketplace/<feature>/translations (Flask-Babel merges them);
the shared one is marketplace/translations.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
POT = ROOT / "translations" / "messages.pot"
#: English is the source language of the messages; Vietnamese must be complete
LANGS = ("vi",)


def catalogues() -> list[Path]:
    return sorted((ROOT / "marketplace").glob("**/translations/*/LC_MESSAGES/messages.po"))


def extract() -> None:
    POT.parent.mkdir(exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(ROOT / "babel.cfg"), "-k", "_l",
         "-k", "lazy_gettext", "--no-location", "--sort-output", "-o", str(POT), str(ROOT)],
        check=True, cwd=ROOT, capture_output=True,
    )


def compile_all() -> None:
    for po in catalogues():
        with po.open("rb") as fh:
            catalog = read_po(fh)
        with po.with_suffix(".mo").open("wb") as fh:
            write_mo(fh, catalog, use_fuzzy=False)


def translated_ids(lang: str) -> dict[str, object]:
    out: dict[str, object] = {}
    for po in catalogues():
        if po.parent.parent.name != lang:
            continue
        with po.open("rb") as fh:
            for message in read_po(fh):
                if message.id and not message.fuzzy:
                    key = message.id if isinstance(message.id, str) else message.id[0]
                    strings = message.string if isinstance(message.string, tuple) else (message.string,)
                    if all(strings):
                        out[key] = message.string
    return out


def missing() -> dict[str, list[str]]:
    """Strings in the code or templates that a language has no translation for."""
    extract()
    with POT.open("rb") as fh:
        wanted = [m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id]
    return {lang: sorted(set(wanted) - set(translated_ids(lang))) for lang in LANGS}


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "compile"
    if command == "extract":
        extract()
    elif command == "compile":
        compile_all()
    elif command == "check":
        gaps = missing()
        for lang, ids in gaps.items():
            for msgid in ids:
                print(f"{lang}: no translation for {msgid!r}")
        return 1 if any(gaps.values()) else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
