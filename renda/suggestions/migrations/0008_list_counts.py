"""The office's list counts (SuggestionCount: suggestions past the draft per congress, year,
state and kind; issue 3, "Benchmark", docs/performance.md "Suggestions at scale"), filled by one
INSERT … SELECT … GROUP BY in the database (one pass over the suggestions, nothing read into
Python). The SQL is written here rather than imported from counts.py, so that this migration
keeps working whatever that module becomes."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("suggestions", "0007_assignment_due"),
    ]

    operations = [
        migrations.CreateModel(
            name="SuggestionCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("congress_id", models.IntegerField()),
                ("year", models.PositiveSmallIntegerField()),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("draft", "Draft"),
                            ("submitted", "Submitted"),
                            ("registered", "Registered"),
                            ("assigned", "Assigned"),
                            ("answered", "Answered"),
                            ("evaluated", "Evaluated"),
                            ("closed", "Closed"),
                            ("rejected", "Not accepted"),
                            ("converted", "Converted"),
                            ("reassigning", "Being reassigned"),
                            ("rehandling", "Being handled again"),
                        ],
                        max_length=12,
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("suggestion", "Suggestion"), ("motion", "Motion")], max_length=12
                    ),
                ),
                ("n", models.IntegerField(default=0)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("congress_id", "year", "state", "kind"),
                        name="suggestion_count_unique_key",
                    )
                ],
            },
        ),
        migrations.RunSQL(
            """INSERT INTO "suggestions_suggestioncount" (congress_id, year, state, kind, n)
            SELECT congress_id, year, state, kind, COUNT(*) FROM "suggestions_suggestion"
            WHERE state <> 'draft' GROUP BY congress_id, year, state, kind""",
            migrations.RunSQL.noop,
        ),
    ]
