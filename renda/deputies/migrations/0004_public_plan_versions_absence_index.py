"""The public part of issue 4: work-plan versions (a published plan is corrected by a new
version, never edited), a partial index for the DEP-TERMINATE flag (unexcused absences only), and
the database table that holds the citizens' message rate limits when there is no Redis."""

from django.conf import settings
from django.core.management import call_command
from django.db import migrations, models


def create_cache_tables(apps, schema_editor):
    # The "ratelimit" cache of the embedded mode is a DatabaseCache (shared by every gunicorn
    # worker); createcachetable makes its table and skips one that exists.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):

    dependencies = [
        ('deputies', '0003_activities_duty_note'),
        ('orgs', '0002_division_codes_and_term_dates'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='workplan',
            options={'ordering': ['congress', '-year', '-version'], 'verbose_name': 'deputy-work plan', 'verbose_name_plural': 'deputy-work plans'},
        ),
        migrations.RemoveConstraint(
            model_name='workplan',
            name='work_plan_unique_year',
        ),
        migrations.AddField(
            model_name='workplan',
            name='correction_note',
            field=models.CharField(blank=True, max_length=500, verbose_name='what this version corrects'),
        ),
        migrations.AddField(
            model_name='workplan',
            name='version',
            field=models.PositiveSmallIntegerField(default=1, verbose_name='version'),
        ),
        migrations.AddIndex(
            model_name='attendance',
            index=models.Index(condition=models.Q(('outcome', 'absent')), fields=['deputyship', 'activity'], name='attendance_absent_idx'),
        ),
        migrations.AddConstraint(
            model_name='workplan',
            constraint=models.UniqueConstraint(fields=('congress', 'year', 'version'), name='work_plan_unique_version'),
        ),
        migrations.RunPython(create_cache_tables, migrations.RunPython.noop),
    ]
