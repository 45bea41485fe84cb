"""Duty records from the platform's own events (issue 4 point 3)."""

from __future__ import annotations

from renda.deputies.models import DutyRecord
from renda.suggestions.actions.submission import create_draft, submit


def test_a_submitted_suggestion_makes_one_duty_record_for_the_lead_deputy(world):
    s = create_draft(
        world.city,
        kind="suggestion",
        title="关于增设学校周边过街设施的建议",
        body="正文。",
        by=world["deputy"],
    )
    submit(s, by=world["deputy"])
    records = DutyRecord.objects.filter(deputyship__person__user=world["deputy"])
    assert [(r.kind, r.source, r.source_ref) for r in records] == [
        ("suggestion", "platform", f"suggestion:{s.pk}")
    ]
