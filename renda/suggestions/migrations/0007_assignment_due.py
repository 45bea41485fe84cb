"""The assignment's copy of its current due date, and the unit queue's index on it (issue 3,
"Benchmark"; docs/performance.md "Suggestions at scale").

Written by hand so that a database with millions of assignments is migrated in one pass: the
column is nullable without a default, so Django's AddField is a plain ALTER TABLE … ADD COLUMN on
SQLite and PostgreSQL alike (no table copy); it is filled by one UPDATE in the database (nothing
read into Python, flat memory) from the deadline the unit works to (a lead unit's answer
deadline, a co-unit's opinion deadline), then indexed."""

from django.db import migrations, models

FILL = {
    "sqlite": (
        'UPDATE "suggestions_assignment" SET "due" = (SELECT d."due" FROM'
        ' "legal_calendar_deadline" AS d WHERE d."id" = CASE WHEN "suggestions_assignment"."role"'
        ' = \'lead\' THEN "suggestions_assignment"."answer_deadline_id"'
        ' ELSE "suggestions_assignment"."co_opinion_deadline_id" END)'
    ),
    "postgresql": (
        'UPDATE "suggestions_assignment" AS a SET "due" = d."due"'
        ' FROM "legal_calendar_deadline" AS d WHERE d."id" = CASE WHEN a."role" = \'lead\''
        ' THEN a."answer_deadline_id" ELSE a."co_opinion_deadline_id" END'
    ),
}


def fill(apps, schema_editor):  # noqa: ANN001, ANN201
    schema_editor.execute(FILL[schema_editor.connection.vendor])


class Migration(migrations.Migration):
    dependencies = [
        ("legal_calendar", "0002_fill_from_chinese_calendar"),
        ("suggestions", "0006_lists_assignment_copies"),
    ]

    operations = [
        migrations.AddField(
            model_name="assignment",
            name="due",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(
                fields=["unit", "state", "due", "id"], name="assignment_unit_due_idx"
            ),
        ),
    ]
