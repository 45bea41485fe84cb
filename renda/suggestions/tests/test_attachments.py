"""Attachments (issue 3 point 1), through the actions: each allowed type is accepted, a file that
is not what its name says is refused, as are empty files, files over the size limit and one file
too many; a refused upload leaves no file in storage and no row; only the lead deputy, only before
registration; a removed file goes once the removal commits. The audit verbs' words (history)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings

from renda.audit.models import AuditEvent
from renda.audit.verbs import known_verbs, verb_label
from renda.errors import DomainError, Forbidden, InvalidInput
from renda.suggestions import filetypes
from renda.suggestions.actions.attachments import add_attachment, remove_attachment
from renda.suggestions.actions.registration import register
from renda.suggestions.actions.submission import create_draft, submit
from renda.suggestions.models import Attachment

from . import attachment_files as files


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


@pytest.fixture
def draft(world: Any) -> Any:
    return create_draft(world.city, by=world["deputy"], title="关于增设社区托育点的建议")


ALLOWED = [
    ("调研报告.pdf", files.PDF, filetypes.PDF),
    ("现场照片.png", files.png(), filetypes.PNG),
    ("现场照片.jpg", files.JPEG, filetypes.JPEG),
    ("现场照片.JPEG", files.JPEG, filetypes.JPEG),
    ("建议附件.docx", files.docx(), filetypes.DOCX),
    ("数据表.xlsx", files.xlsx(), filetypes.XLSX),
    ("旧版文档.doc", files.doc(), filetypes.DOC),
    ("旧版表格.xls", files.xls(), filetypes.XLS),
]


@pytest.mark.parametrize(("name", "content", "content_type"), ALLOWED)
def test_each_allowed_type_is_accepted_stored_and_audited(
    world: Any, draft: Any, media: Path, name: str, content: bytes, content_type: str
) -> None:
    a = add_attachment(draft, files.upload(name, content), by=world["deputy"])
    assert (a.name, a.content_type, a.size) == (name, content_type, len(content))
    assert a.sha256 == hashlib.sha256(content).hexdigest()
    # Stored under a random name with nothing of the user's in it.
    assert a.file.name.startswith("attachments/") and name not in a.file.name
    assert len(a.file.name.rsplit("/", 1)[-1]) == 32
    [path] = stored_files(media)
    assert path.read_bytes() == content
    event = AuditEvent.objects.filter(verb="suggestion.attachment_added").get()
    assert event.data["name"] == name and event.data["sha256"] == a.sha256


MISMATCHED = [
    ("report.pdf", files.EXE, "is not a PDF file"),  # a Windows program named .pdf
    ("report.pdf", files.HTML, "is not a PDF file"),
    ("photo.png", files.HTML, "is not a PNG file"),
    ("photo.png", files.SVG, "is not a PNG file"),
    ("photo.jpg", files.png(), "is not a JPEG file"),
    ("letter.docx", files.plain_zip(), "is not a Word file"),
    ("letter.docx", files.xlsx(), "is not a Word file"),
    ("table.xlsx", files.docx(), "is not a Excel file"),
    ("letter.doc", files.xls(), "is not a Word file"),
    ("table.xls", files.doc(), "is not a Excel file"),
    ("table.xls", files.PDF, "is not a Excel file"),
]


@pytest.mark.parametrize(("name", "content", "words"), MISMATCHED)
def test_a_file_that_is_not_what_its_name_says_is_refused_and_nothing_is_left(
    world: Any, draft: Any, media: Path, name: str, content: bytes, words: str
) -> None:
    with pytest.raises(InvalidInput) as err:
        add_attachment(draft, files.upload(name, content, "application/pdf"), by=world["deputy"])
    assert err.value.detail.startswith("file: ") and words in err.value.detail
    assert stored_files(media) == [] and not Attachment.objects.exists()
    assert not AuditEvent.objects.filter(verb="suggestion.attachment_added").exists()


@pytest.mark.parametrize(
    "name", ["notes.txt", "page.html", "drawing.svg", "setup.exe", "macro.docm", "noextension"]
)
def test_types_that_are_not_allowed_are_refused_by_name(
    world: Any, draft: Any, media: Path, name: str
) -> None:
    with pytest.raises(InvalidInput, match="only PDF, Word"):
        add_attachment(draft, files.upload(name, files.PDF), by=world["deputy"])
    assert stored_files(media) == [] and not Attachment.objects.exists()


def test_empty_file_is_refused(world: Any, draft: Any, media: Path) -> None:
    with pytest.raises(InvalidInput, match="is empty"):
        add_attachment(draft, files.upload("空.pdf", b""), by=world["deputy"])
    assert stored_files(media) == []


def test_no_file_is_refused_naming_the_field(world: Any, draft: Any, media: Path) -> None:
    with pytest.raises(InvalidInput, match="^file: choose a file"):
        add_attachment(draft, None, by=world["deputy"])


@override_settings(RENDA_ATTACHMENT_MAX_MB=0.001)  # 1048 bytes
def test_file_over_the_size_limit_is_refused(world: Any, draft: Any, media: Path) -> None:
    big = files.PDF + b"%" * 2000
    with pytest.raises(InvalidInput, match="larger than the limit of 1.0"):
        add_attachment(draft, files.upload("大.pdf", big), by=world["deputy"])
    assert stored_files(media) == [] and not Attachment.objects.exists()
    small = add_attachment(draft, files.upload("小.pdf", files.PDF), by=world["deputy"])
    assert small.size == len(files.PDF)


@override_settings(RENDA_ATTACHMENT_MAX_COUNT=2)
def test_one_file_too_many_is_refused(world: Any, draft: Any, media: Path) -> None:
    for i in range(2):
        add_attachment(draft, files.upload(f"{i}.pdf", files.PDF), by=world["deputy"])
    with pytest.raises(InvalidInput, match="at most 2 attachments"):
        add_attachment(draft, files.upload("3.pdf", files.PDF), by=world["deputy"])
    assert len(stored_files(media)) == 2 and Attachment.objects.count() == 2


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\王\\Desktop\\报告.pdf", "报告.pdf"),
        ("bad\x00name\x07.pdf", "badname.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),  # a right-to-left override hiding ".exe"
        ('a<b>:"c|d?*.pdf', "a_b___c_d__.pdf"),
        ("  ..hidden  name .pdf", "hidden name .pdf"),
        ("长" * 300 + ".pdf", "长" * 196 + ".pdf"),
    ],
)
def test_file_names_are_cleaned(raw: str, clean: str) -> None:
    assert filetypes.clean_file_name(raw) == clean


def test_stored_name_is_the_cleaned_one(world: Any, draft: Any, media: Path) -> None:
    a = add_attachment(draft, files.upload("../../报告\x01.pdf", files.PDF), by=world["deputy"])
    assert a.name == "报告.pdf"


def test_a_name_of_only_dots_is_refused(world: Any, draft: Any, media: Path) -> None:
    with pytest.raises(InvalidInput, match="only PDF"):
        add_attachment(draft, files.upload("...", files.PDF), by=world["deputy"])


@pytest.mark.parametrize("username", ["deputy2", "affairs", "admin", "sc_member"])
def test_only_the_lead_deputy_attaches(world: Any, media: Path, username: str) -> None:
    s = create_draft(
        world.city, by=world["deputy"], title="标题", body="正文", cosigners=[world["deputy2"]]
    )
    s = submit(s, by=world["deputy"])
    with pytest.raises(Forbidden):
        add_attachment(s, files.upload("a.pdf", files.PDF), by=world[username])
    assert stored_files(media) == []


def test_attachments_change_until_registration_then_are_fixed(world: Any, media: Path) -> None:
    s = create_draft(world.city, by=world["deputy"], title="标题", body="正文")
    a = add_attachment(s, files.upload("a.pdf", files.PDF), by=world["deputy"])
    s = submit(s, by=world["deputy"])
    b = add_attachment(s, files.upload("b.pdf", files.PDF), by=world["deputy"])
    s = register(s, by=world["affairs"])
    with pytest.raises(DomainError) as err:
        add_attachment(s, files.upload("c.pdf", files.PDF), by=world["deputy"])
    assert err.value.status == 409 and "(state: registered)" in err.value.detail
    with pytest.raises(DomainError) as err:
        remove_attachment(a, by=world["deputy"])
    assert err.value.status == 409
    assert {x.pk for x in Attachment.objects.all()} == {a.pk, b.pk}
    assert len(stored_files(media)) == 2


def test_removal_deletes_the_file_after_commit(
    world: Any, draft: Any, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    a = add_attachment(draft, files.upload("a.pdf", files.PDF), by=world["deputy"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        remove_attachment(a, by=world["deputy"])
    # Committed in the test's eyes only once the callbacks run: the file is still there.
    assert len(stored_files(media)) == 1 and not Attachment.objects.exists()
    for callback in callbacks:
        callback()
    assert stored_files(media) == []
    event = AuditEvent.objects.get(verb="suggestion.attachment_removed")
    assert event.data["name"] == "a.pdf"


def test_a_failure_after_storing_deletes_the_stored_file(
    world: Any, draft: Any, media: Path, monkeypatch: Any
) -> None:
    """Nothing half-written: the audit event fails after the file was stored (simulated by a
    verb the audit trail refuses) → no row, no file."""
    import renda.suggestions.actions.attachments as module

    def broken(*args: Any, **kwargs: Any) -> None:
        raise ValueError("audit trail unavailable")

    monkeypatch.setattr(module, "record_event", broken)
    with pytest.raises(ValueError, match="unavailable"):
        add_attachment(draft, files.upload("a.pdf", files.PDF), by=world["deputy"])
    assert stored_files(media) == [] and not Attachment.objects.exists()


def test_removing_twice_is_404_not_500(world: Any, draft: Any, media: Path) -> None:
    from renda.errors import NotFound

    a = add_attachment(draft, files.upload("a.pdf", files.PDF), by=world["deputy"])
    stale = Attachment.objects.get(pk=a.pk)
    with transaction.atomic():
        remove_attachment(a, by=world["deputy"])
    with pytest.raises(NotFound):
        remove_attachment(stale, by=world["deputy"])


# --- History words (issue 3: every transition in the suggestion's history) ---------------------
def test_every_verb_the_suggestion_actions_record_has_words() -> None:
    """Scan the actions for the verbs they record: each must have registered words."""
    import re

    root = Path(__file__).resolve().parents[1] / "actions"
    recorded: set[str] = set()
    for path in root.glob("*.py"):
        source = path.read_text()
        recorded |= set(re.findall(r'record_event\(\s*[^,()]+,\s*"(suggestion\.[a-z_]+)"', source))
        recorded |= set(re.findall(r'_VERB = "(suggestion\.[a-z_]+)"', source))
    assert {"suggestion.registered", "suggestion.attachment_added"} <= recorded
    assert len(recorded) >= 25
    missing = recorded - known_verbs()
    assert not missing, f"verbs without words: {sorted(missing)}"


def test_verb_words_are_translated_and_unknown_verbs_fall_back_to_their_code() -> None:
    from django.utils import translation

    with translation.override("zh-hans"):
        assert verb_label("suggestion.registered") == "立案"
        assert verb_label("suggestion.attachment_added") == "上传附件"
        assert "something.new" in verb_label("something.new")
    assert verb_label("suggestion.registered") == "Registered"
    assert verb_label("something.new") == "Other action (something.new)"
