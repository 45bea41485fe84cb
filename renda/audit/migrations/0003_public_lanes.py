"""Public lanes: parallel chains for citizens' submissions (renda.audit.actions.record_event,
lane=True). An event names its chain; seq is unique within a chain. Existing events are the main
chain's (1) and verify as before.

SQLite rebuilds the table to drop the unique seq, and the table's triggers go with it: the
append-only guard is put back (0002_append_only's)."""

from django.conf import settings
from django.db import migrations, models

# As 0002_append_only.
SQLITE_TRIGGER = """
CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused');
END;
"""


def lane_heads_and_guard(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_event_no_update", params=None)
        schema_editor.execute(SQLITE_TRIGGER, params=None)
    head = apps.get_model("audit", "AuditChainHead")
    alias = schema_editor.connection.alias
    for chain in range(2, 2 + max(0, settings.RENDA_AUDIT_LANES)):
        head.objects.using(alias).get_or_create(id=chain)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_append_only"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="auditevent",
            options={
                "ordering": ["id"],
                "verbose_name": "audit event",
                "verbose_name_plural": "audit events",
            },
        ),
        migrations.AddField(
            model_name="auditevent",
            name="chain",
            field=models.PositiveSmallIntegerField(default=1),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(),
        ),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(
                fields=("chain", "seq"), name="audit_event_chain_seq_unique"
            ),
        ),
        migrations.RunPython(lane_heads_and_guard, migrations.RunPython.noop, elidable=False),
    ]
