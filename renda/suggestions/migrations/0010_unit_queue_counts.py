"""The unit queue's counts (UnitQueueCount: assignments per unit and state; issue 3,
"Benchmark", docs/performance.md "Suggestions at scale"), filled by one INSERT … SELECT … GROUP
BY in the database (one pass over the assignments). The SQL is written here rather than imported
from counts.py, so that this migration keeps working whatever that module becomes."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('suggestions', '0009_stats_overdue_counters'),
    ]

    operations = [
        migrations.CreateModel(
            name='UnitQueueCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('unit_id', models.IntegerField()),
                ('state', models.CharField(choices=[('active', 'Handling'), ('answered', 'Answered'), ('returned', 'Returned')], max_length=10)),
                ('n', models.IntegerField(default=0)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('unit_id', 'state'), name='unit_queue_count_unique')],
            },
        ),
        migrations.RunSQL(
            """INSERT INTO "suggestions_unitqueuecount" (unit_id, state, n)
            SELECT unit_id, state, COUNT(*) FROM "suggestions_assignment" GROUP BY unit_id, state""",
            migrations.RunSQL.noop,
        ),
    ]
