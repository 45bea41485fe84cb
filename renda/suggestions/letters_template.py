"""Generates the default reply-letter template (答复函), a docxtpl (Jinja) .docx.

Run once after changing it, and commit the result:

    .venv/bin/python -m renda.suggestions.letters_template

An office changes the letter by copying the generated file to
``<RENDA_DATA_DIR>/templates/reply_letter.docx`` and editing it in Word or WPS; the placeholders
it may use are listed in docs/suggestions.md ("Reply letter") and in ``letters.letter_context``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

DEFAULT_TEMPLATE = (
    Path(__file__).parent / "templates" / "suggestions" / "letters" / "reply_letter.docx"
)
FONT = "SimSun"


def _para(doc, text: str = "", *, size: int = 14, bold: bool = False, align=None):  # noqa: ANN001
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    run = p.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold
    return p


def build(path: Path = DEFAULT_TEMPLATE) -> Path:
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    centre = WD_ALIGN_PARAGRAPH.CENTER
    right = WD_ALIGN_PARAGRAPH.RIGHT
    _para(doc, "{{ unit_name }}", size=22, bold=True, align=centre)
    _para(
        doc,
        "关于{{ congress_name }}代表建议（{{ number }}）的答复函",
        size=16,
        bold=True,
        align=centre,
    )
    _para(doc, "{{ deputy_name }}代表：", size=14)
    _para(doc, "您提出的《{{ title }}》（第{{ number }}号）收悉。现答复如下：")
    _para(doc, "{%p for line in answer_lines %}")
    _para(doc, "{{ line }}")
    _para(doc, "{%p endfor %}")
    _para(doc, "{%p if plan %}")
    _para(
        doc,
        "工作计划：{{ plan }}{% if planned_date %}（计划完成时间：{{ planned_date }}）{% endif %}",
    )
    _para(doc, "{%p endif %}")
    _para(doc, "{%p if reason %}")
    _para(doc, "原因说明：{{ reason }}")
    _para(doc, "{%p endif %}")
    _para(doc, "{%p if commitments %}")
    _para(doc, "承诺事项：", bold=True)
    _para(doc, "{%p endif %}")
    _para(doc, "{%p for c in commitments %}")
    _para(doc, "{{ loop.index }}. {{ c.text }}（完成时限：{{ c.due }}）")
    _para(doc, "{%p endfor %}")
    _para(doc, "答复类别：{{ category }}类（{{ category_label }}）")
    _para(doc, "")
    _para(doc, "单位负责人（签字）：{{ head_name }}____________", align=right)
    _para(doc, "{{ unit_name }}", align=right)
    _para(doc, "{{ date }}", align=right)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_TEMPLATE))
