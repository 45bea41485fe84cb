"""Translations: Simplified Chinese is the default UI; every string has a current translation.

The catalogue under renda/locale must be current (what makemessages would extract today), fully
translated (no empty or fuzzy entries), and compiled (.mo matches .po).
"""

from __future__ import annotations

import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[3]
LOCALE = ROOT / "renda" / "locale"
PO = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def _ids(po: polib.POFile) -> set[tuple[str | None, str]]:
    return {(e.msgctxt, e.msgid) for e in po if not e.obsolete and e.msgid}


def test_every_string_is_translated_to_chinese():
    po = polib.pofile(str(PO))
    missing = [e.msgid for e in po if not e.obsolete and e.msgid and not e.translated()]
    assert not missing, f"untranslated or fuzzy: {missing[:20]}"


def test_compiled_catalogue_matches_the_po_file():
    po = polib.pofile(str(PO))
    with MO.open("rb") as fh:
        catalog = gettext.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]
    for entry in po:
        if entry.obsolete or not entry.msgid or not entry.translated():
            continue
        key = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural:
            assert catalog.get((key, 0)) == entry.msgstr_plural[0], entry.msgid
        else:
            assert catalog.get(key) == entry.msgstr, (
                f"stale .mo for {entry.msgid!r}: run make messages"
            )


@pytest.mark.skipif(not shutil.which("xgettext"), reason="gettext tools not installed")
def test_catalogue_is_current(tmp_path):
    """makemessages run today would add nothing: no string in the code lacks an entry."""
    work = tmp_path / "renda"
    shutil.copytree(
        ROOT / "renda",
        work,
        ignore=shutil.ignore_patterns("__pycache__", "static", "*.mo", "migrations"),
    )
    # The copy's own locale dir must exist, or makemessages writes into the real tree.
    (work / "locale" / "zh_Hans" / "LC_MESSAGES").mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "makemessages",
            "-l",
            "zh_Hans",
            "--no-location",
            "--no-obsolete",
            "-v",
            "0",
        ],
        cwd=work,
        check=True,
    )
    fresh = polib.pofile(str(work / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    committed = polib.pofile(str(PO))
    new = _ids(fresh) - _ids(committed)
    assert not new, f"strings missing from the catalogue (run make messages): {sorted(new)[:20]}"
