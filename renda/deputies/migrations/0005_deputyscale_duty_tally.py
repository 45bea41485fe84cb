"""Duty tallies (deputies at scale): per deputyship, kind and year, how many duty records."""

import django.db.models.deletion
from django.db import migrations, models

FILL = (
    "INSERT INTO deputies_dutytally (deputyship_id, kind, year, n) "
    "SELECT deputyship_id, kind, year, COUNT(*) FROM deputies_dutyrecord "
    "GROUP BY deputyship_id, kind, year"
)


class Migration(migrations.Migration):

    dependencies = [
        ('deputies', '0004_public_plan_versions_absence_index'),
    ]

    operations = [
        migrations.CreateModel(
            name='DutyTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('session', 'Attending a session of the congress'), ('sc_sitting', 'Sitting in on a standing-committee meeting'), ('inspection', 'Inspection or research'), ('reception', 'Receiving citizens at a liaison station'), ('training', 'Training'), ('report_back', 'Reporting back to voters'), ('group_activity', 'Deputy-group activity'), ('suggestion', 'Suggestion submitted'), ('motion', 'Motion submitted'), ('other', 'Other duty'), ('leave', 'Leave of absence'), ('absence', 'Absence without leave')], max_length=20)),
                ('year', models.PositiveSmallIntegerField()),
                ('n', models.PositiveIntegerField(default=0)),
                ('deputyship', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='deputies.deputyship')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('deputyship', 'kind', 'year'), name='duty_tally_unique')],
            },
        ),
        # The tallies of the records already there.
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
    ]
