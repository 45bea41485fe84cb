"""Duty tallies (deputies at scale): per deputyship, kind and year, how many duty records."""

import django.db.models.deletion
from django.db import migrations, models

# The tallies of the records already there.
FILL = (
    "INSERT INTO deputies_dutytally (deputyship_id, congress_id, kind, year, n) "
    "SELECT r.deputyship_id, d.congress_id, r.kind, r.year, COUNT(*) "
    "FROM deputies_dutyrecord r JOIN deputies_deputyship d ON d.id = r.deputyship_id "
    "GROUP BY r.deputyship_id, d.congress_id, r.kind, r.year"
)


class Migration(migrations.Migration):

    dependencies = [
        ('deputies', '0004_public_plan_versions_absence_index'),
        ('orgs', '0003_congress_home_version'),
    ]

    operations = [
        migrations.CreateModel(
            name='DutyTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('session', 'Attending a session of the congress'), ('sc_sitting', 'Sitting in on a standing-committee meeting'), ('inspection', 'Inspection or research'), ('reception', 'Receiving citizens at a liaison station'), ('training', 'Training'), ('report_back', 'Reporting back to voters'), ('group_activity', 'Deputy-group activity'), ('suggestion', 'Suggestion submitted'), ('motion', 'Motion submitted'), ('other', 'Other duty'), ('leave', 'Leave of absence'), ('absence', 'Absence without leave')], max_length=20)),
                ('year', models.PositiveSmallIntegerField()),
                ('n', models.PositiveIntegerField(default=0)),
                ('congress', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.congress')),
                ('deputyship', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='deputies.deputyship')),
            ],
            options={
                'indexes': [models.Index(fields=['congress', 'kind', 'year', 'deputyship'], name='duty_tally_congress_idx')],
                'constraints': [models.UniqueConstraint(fields=('deputyship', 'kind', 'year'), name='duty_tally_unique')],
            },
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
    ]
