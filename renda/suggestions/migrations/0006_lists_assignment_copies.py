"""The suggestion's state, year and sequence copied onto its assignments, and the unit list's index
(issue 3, "Benchmark"; see docs/performance.md "Suggestions at scale").

Written by hand so that a database with millions of assignments is migrated in one pass: the
two columns are added with ALTER TABLE (on SQLite Django's AddField of a NOT NULL column would
copy the whole table, once per field), filled by one UPDATE in the database (nothing read into
Python, flat memory), then indexed."""

from django.db import migrations, models

COLUMNS = {
    # vendor: ALTER TABLE … ADD COLUMN clauses (a constant default fills the existing rows)
    "sqlite": [
        """ADD COLUMN "suggestion_state" varchar(12) NOT NULL DEFAULT ''""",
        """ADD COLUMN "suggestion_year" smallint unsigned NOT NULL DEFAULT 0"""
        """ CHECK ("suggestion_year" >= 0)""",
        """ADD COLUMN "suggestion_sequence" integer unsigned NULL"""
        """ CHECK ("suggestion_sequence" >= 0)""",
    ],
    "postgresql": [
        """ADD COLUMN "suggestion_state" varchar(12) NOT NULL DEFAULT ''""",
        """ADD COLUMN "suggestion_year" smallint NOT NULL DEFAULT 0"""
        """ CHECK ("suggestion_year" >= 0)""",
        """ADD COLUMN "suggestion_sequence" integer NULL CHECK ("suggestion_sequence" >= 0)""",
    ],
}


def add_and_fill(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    table = '"suggestions_assignment"'
    for clause in COLUMNS[vendor]:
        schema_editor.execute(f"ALTER TABLE {table} {clause}")
    if vendor == "postgresql":
        # Like Django's own AddField: no default left in the database.
        schema_editor.execute(
            f'ALTER TABLE {table} ALTER COLUMN "suggestion_state" DROP DEFAULT, '
            'ALTER COLUMN "suggestion_year" DROP DEFAULT'
        )
        schema_editor.execute(
            f'UPDATE {table} AS a SET "suggestion_state" = s."state", "suggestion_year" = s."year", '
            '"suggestion_sequence" = s."sequence" FROM "suggestions_suggestion" AS s WHERE s."id" = a."suggestion_id"'
        )
    else:
        schema_editor.execute(
            f'UPDATE {table} SET ("suggestion_state", "suggestion_year", "suggestion_sequence") = '
            '(SELECT s."state", s."year", s."sequence" FROM "suggestions_suggestion" AS s '
            f'WHERE s."id" = {table}."suggestion_id")'
        )


def drop(apps, schema_editor):
    table = '"suggestions_assignment"'
    schema_editor.execute(f'ALTER TABLE {table} DROP COLUMN "suggestion_state"')
    schema_editor.execute(f'ALTER TABLE {table} DROP COLUMN "suggestion_year"')
    schema_editor.execute(f'ALTER TABLE {table} DROP COLUMN "suggestion_sequence"')


class Migration(migrations.Migration):
    dependencies = [
        ("suggestions", "0005_facts_stats_facts"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="assignment",
                    name="suggestion_state",
                    field=models.CharField(
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
                    preserve_default=False,
                ),
                migrations.AddField(
                    model_name="assignment",
                    name="suggestion_year",
                    field=models.PositiveSmallIntegerField(),
                    preserve_default=False,
                ),
                migrations.AddField(
                    model_name="assignment",
                    name="suggestion_sequence",
                    field=models.PositiveIntegerField(blank=True, null=True),
                ),
            ],
            database_operations=[migrations.RunPython(add_and_fill, drop)],
        ),
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(
                fields=[
                    "unit",
                    "suggestion_state",
                    "suggestion_year",
                    "suggestion_sequence",
                    "suggestion",
                    "state",
                ],
                name="assignment_unit_list_idx",
            ),
        ),
    ]
