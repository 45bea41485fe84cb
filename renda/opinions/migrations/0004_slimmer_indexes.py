"""Fewer indexes on opinions (each citizen's submission writes every one, issue 5): a foreign
key's own index goes where a composite index starts with it (congress, station, deputy; an
event's opinion), the rarely set links are indexed only where set, and the tracking code's
LIKE index goes (nothing searches codes by pattern; the unique index stays). Only the indexes
are dropped (renda.dbindexes: no table rebuild on SQLite)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from renda.dbindexes import drop_single_column_indexes


def drop_indexes(apps, schema_editor):
    drop_single_column_indexes(
        schema_editor,
        "opinions_opinion",
        [
            "congress_id",
            "station_id",
            "deputy_id",
            "follow_up_deputy_id",
            "merged_into_id",
            "suggestion_id",
            "passed_from_id",
            "recorded_by_id",
            "tracking_code",
        ],
    )
    drop_single_column_indexes(schema_editor, "opinions_opinionevent", ["opinion_id"])


class Migration(migrations.Migration):
    dependencies = [
        ("deputies", "0005_deputyscale_duty_tally"),
        ("opinions", "0003_stations_day_facts"),
        ("orgs", "0003_congress_home_version"),
        ("suggestions", "0011_joint_handling"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="opinion",
                    name="congress",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="opinions",
                        to="orgs.congress",
                    ),
                ),
                migrations.AlterField(
                    model_name="opinion",
                    name="deputy",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="opinions",
                        to="deputies.deputyship",
                    ),
                ),
                migrations.AlterField(
                    model_name="opinion",
                    name="follow_up_deputy",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="deputies.deputyship",
                    ),
                ),
                migrations.AlterField(
                    model_name="opinion",
                    name="merged_into",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="merged",
                        to="opinions.opinion",
                    ),
                ),
                migrations.AlterField(
                    model_name="opinion",
                    name="passed_from",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="orgs.congress",
                    ),
                ),
                migrations.AlterField(
                    model_name="opinion",
                    name="recorded_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="opinion",
                    name="station",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="opinions",
                        to="opinions.station",
                    ),
                ),
                migrations.AlterField(
                    model_name="opinion",
                    name="suggestion",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="opinions",
                        to="suggestions.suggestion",
                    ),
                ),
                migrations.AlterField(
                    model_name="opinionevent",
                    name="opinion",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="opinions.opinion",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunPython(drop_indexes, migrations.RunPython.noop, elidable=False),
            ],
        ),
        migrations.AddIndex(
            model_name="opinion",
            index=models.Index(
                condition=models.Q(("follow_up_deputy__isnull", False)),
                fields=["follow_up_deputy"],
                name="opinion_follow_up_deputy_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="opinion",
            index=models.Index(
                condition=models.Q(("merged_into__isnull", False)),
                fields=["merged_into"],
                name="opinion_merged_into_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="opinion",
            index=models.Index(
                condition=models.Q(("suggestion__isnull", False)),
                fields=["suggestion"],
                name="opinion_suggestion_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="opinion",
            index=models.Index(
                condition=models.Q(("passed_from__isnull", False)),
                fields=["passed_from"],
                name="opinion_passed_from_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="opinion",
            index=models.Index(
                condition=models.Q(("recorded_by__isnull", False)),
                fields=["recorded_by"],
                name="opinion_recorded_by_idx",
            ),
        ),
    ]
