"""Fewer indexes on audit events (each citizen's submission writes one, issue 5): the object
type's own index goes (the (object_type, object_id, seq) index starts with it) and the actor
is indexed only where set (citizens' events have none). Only the indexes are dropped
(renda.dbindexes): AlterField would rebuild the table on SQLite and lose its append-only
trigger."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from renda.dbindexes import drop_single_column_indexes


def drop_indexes(apps, schema_editor):
    drop_single_column_indexes(schema_editor, "audit_auditevent", ["actor_id", "object_type_id"])


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_public_lanes"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="auditevent",
                    name="actor",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="auditevent",
                    name="object_type",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="contenttypes.contenttype",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunPython(drop_indexes, migrations.RunPython.noop, elidable=False),
            ],
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(
                condition=models.Q(("actor__isnull", False)),
                fields=["actor"],
                name="audit_actor_idx",
            ),
        ),
    ]
