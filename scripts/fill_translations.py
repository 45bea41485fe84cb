"""Fill zh_Hans translations from a Python file holding T = {msgid or (context, msgid): msgstr}.

Usage: .venv/bin/python scripts/fill_translations.py FILE [FILE ...]
Then `make messages` compiles. Prints what is still untranslated."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "renda/locale/zh_Hans/LC_MESSAGES/django.po"


def main() -> None:
    table: dict = {}
    for path in sys.argv[1:]:
        table.update(runpy.run_path(path)["T"])
    po = polib.pofile(str(PO))
    for entry in po:
        if entry.obsolete or entry.translated():
            continue
        key = (entry.msgctxt, entry.msgid) if entry.msgctxt else entry.msgid
        text = table.get(key)
        if text is None:
            continue
        if entry.msgid_plural:
            entry.msgstr_plural = {0: text}
        else:
            entry.msgstr = text
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.save(str(PO))
    left = [e for e in po if not e.obsolete and not e.translated()]
    for e in left:
        print("untranslated:", repr(e.msgctxt), repr(e.msgid))


if __name__ == "__main__":
    main()
