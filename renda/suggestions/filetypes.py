"""What an uploaded attachment really is: its type from its content (magic bytes), never from its
name or the browser's word, and a file name safe to store and to send back.

Allowed (docs/suggestions.md, Attachments): PDF, Word (.docx, .doc), Excel (.xlsx, .xls), JPEG and
PNG. Plain text is not: nothing in a text file's bytes tells it from HTML or script, and the text
of a suggestion belongs in its body.

The first look is `filetype` (magic numbers). Containers are then opened: a .docx/.xlsx is a zip
whose `[Content_Types].xml` must declare the Word document / Excel workbook main part (macro
files, .docm/.xlsm, declare another and are refused); a .doc/.xls is an OLE2 compound file that
must hold a `WordDocument` / `Workbook` (or the older `Book`) stream (read with `olefile`).
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from typing import IO

import filetype
import olefile

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOC = "application/msword"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLS = "application/vnd.ms-excel"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# extension → the content type its content must have
ALLOWED: dict[str, str] = {
    "pdf": PDF,
    "doc": DOC,
    "docx": DOCX,
    "xls": XLS,
    "xlsx": XLSX,
    "jpg": JPEG,
    "jpeg": JPEG,
    "png": PNG,
}

_OOXML_MAIN = {
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
_OLE_STREAMS = {DOC: ({"worddocument"},), XLS: ({"workbook"}, {"book"})}
# Content types filetype reports for a zip or an OLE2 file (it guesses the kind of Office file
# from the first bytes only; the container is opened to be sure).
_ZIP_GUESSES = {"application/zip", DOCX, XLSX, "application/epub+zip"} | {
    "application/vnd.openxmlformats-officedocument.presentationml.presentation"
}
_OLE_GUESSES = {DOC, XLS, "application/vnd.ms-powerpoint", "application/x-ole-storage"}
_CONTENT_TYPES_MAX = 1_000_000  # a real [Content_Types].xml is a few kB: refuse zip bombs
HEAD_BYTES = 8192

NAME_MAX = 200


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _zip_declares(fh: IO[bytes], main_part: str) -> bool:
    try:
        with zipfile.ZipFile(fh) as archive:
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > _CONTENT_TYPES_MAX:
                return False
            text = archive.read(info).decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError, EOFError):
        return False
    return f'ContentType="{main_part}"' in text


def _ole_has(fh: IO[bytes], stream_sets: tuple[set[str], ...]) -> bool:
    try:
        ole = olefile.OleFileIO(fh)
    except (OSError, ValueError, EOFError, IndexError, TypeError, AttributeError):
        return False
    try:
        names = {"/".join(entry).lower() for entry in ole.listdir()}
    except (OSError, ValueError, EOFError, IndexError, TypeError, AttributeError):
        return False
    finally:
        ole.close()
    return any(streams <= names for streams in stream_sets)


def content_matches(fh: IO[bytes], expected: str) -> bool:
    """Whether the file's content is of the `expected` allowed type (one of ALLOWED's values).

    `fh` is read from its start; it is left at its start."""
    fh.seek(0)
    head = fh.read(HEAD_BYTES)
    fh.seek(0)
    guess = filetype.guess(head)
    mime = guess.mime if guess else ""
    try:
        if expected in (PDF, PNG, JPEG):
            return mime == expected
        if expected in _OOXML_MAIN:
            return mime in _ZIP_GUESSES and _zip_declares(fh, _OOXML_MAIN[expected])
        if expected in _OLE_STREAMS:
            return mime in _OLE_GUESSES and _ole_has(fh, _OLE_STREAMS[expected])
        return False
    finally:
        fh.seek(0)


_UNSAFE = re.compile(r'[\\/:*?"<>|]')


def clean_file_name(raw: str) -> str:
    """A display name safe to store and to send back: no directories (either slash), no control
    or format characters (e.g. right-to-left overrides that disguise an extension), none of the
    characters Windows refuses, no leading dots; white space collapsed; at most NAME_MAX
    characters, keeping the extension. May return "" (the caller refuses it)."""
    name = unicodedata.normalize("NFC", raw or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _UNSAFE.sub("_", name)
    name = " ".join(name.split()).strip(" .")
    if len(name) > NAME_MAX:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            name = stem[: NAME_MAX - len(ext) - 1].rstrip(" .") + "." + ext
        else:
            name = name[:NAME_MAX]
    return name
