"""Append translations to a catalogue: `python scripts/po_add.py <po file> <tsv file>` (msgid<TAB>msgstr per line).

Existing entries are left as they are (a msgid already there is skipped); new ones are appended at the end. A new
catalogue gets the usual header. For adding a feature's new strings in one go.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po

HEADER = '''# Vietnamese translations of cho-nong-san.
msgid ""
msgstr ""
"Project-Id-Version: cho-nong-san\\n"
"Language: vi\\n"
"Plural-Forms: nplurals=1; plural=0;\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=utf-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
'''


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main(po_path: str, tsv_path: str) -> int:
    po = Path(po_path)
    if not po.exists():
        po.parent.mkdir(parents=True, exist_ok=True)
        po.write_text(HEADER, encoding="utf-8")
    with po.open("rb") as fh:
        known = {m.id for m in read_po(fh) if m.id}
    out = []
    for line in Path(tsv_path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        msgid, msgstr = line.split("\t")
        if msgid in known:
            continue
        known.add(msgid)
        flag = "#, python-format\n" if "%(" in msgid else ""
        out.append(f"\n{flag}msgid {_quote(msgid)}\nmsgstr {_quote(msgstr)}\n")
    with po.open("a", encoding="utf-8") as fh:
        fh.writelines(out)
    print(f"{po}: {len(out)} added")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:3]))
