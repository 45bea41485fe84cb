"""The reply letter (答复函): a .docx from the default template, or the office's own."""

from __future__ import annotations

import io
import shutil

from docx import Document

from renda.suggestions import letters
from renda.suggestions.models import Answer
from renda.suggestions.tests.answer_builders import give_answer, handled


def _text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    return "\n".join(p.text for p in doc.paragraphs)


def test_reply_letter_opens_and_holds_the_answer_and_number(world, signed_in):
    s = handled(world)
    give_answer(world, s, category="B", text="第一段答复。\n第二段 <b>&</b> 答复。")
    answer = Answer.objects.get()
    response = signed_in("edu_clerk").get(f"/suggestions/{s.pk}/answers/{answer.pk}/letter.docx")
    assert response.status_code == 200
    text = _text(response.content)
    assert s.number in text
    assert s.title in text
    assert "第一段答复。" in text
    assert "第二段 <b>&</b> 答复。" in text  # typed text stays text (escaped in the XML)
    assert world.edu.name in text
    assert world["deputy"].display_name in text
    assert "明年秋季学期前新开两条线路。" in text  # the B plan, also its commitment
    assert world["edu_head"].display_name in text  # the head who signed off


def test_office_template_in_the_data_dir_is_used_instead(world, settings, tmp_path):
    from docx import Document as NewDocument

    settings.DATA_DIR = tmp_path
    (tmp_path / "templates").mkdir()
    custom = NewDocument()
    custom.add_paragraph("本办模板 {{ number }} {{ answer_text }}")
    custom.save(str(tmp_path / "templates" / "reply_letter.docx"))
    s = handled(world)
    give_answer(world, s)
    answer = Answer.objects.get()
    assert letters.template_path() == tmp_path / "templates" / "reply_letter.docx"
    text = _text(letters.render_reply_letter(answer))
    assert text.startswith(f"本办模板 {s.number} ")
    assert answer.text in text


def test_default_template_can_be_regenerated(tmp_path):
    from renda.suggestions.letters_template import build

    path = build(tmp_path / "letter.docx")
    assert "{{ unit_name }}" in _text(path.read_bytes())
    shutil.rmtree(tmp_path)
