"""The statistics counters' "overdue" figures, as of the counters' day (StatsCounterDay; see
docs/statistics.md "How the figures are kept" and docs/performance.md "Suggestions at scale").

Filled in one pass: on a database whose facts are there (0005 filled them before it stopped
doing so), the day starts at the beginning of time and is rolled to today, which adds every lead
assignment still handling and already due (one grouped upsert over those fact rows); on one
whose facts are not there yet (0005 is a no-op now: it could not fill counters that lack these
columns), every fact row and counter is built (facts.rebuild_facts). Then the index that ranks
the lead deputies."""

from datetime import date

from django.db import migrations, models


def fill(apps, schema_editor):  # noqa: ANN001, ANN201
    from django.utils import timezone

    from renda.suggestions.facts import rebuild_facts, roll_counter_day

    Suggestion = apps.get_model("suggestions", "Suggestion")
    SuggestionFact = apps.get_model("suggestions", "SuggestionFact")
    StatsCounterDay = apps.get_model("suggestions", "StatsCounterDay")
    if Suggestion.objects.exists() and not SuggestionFact.objects.exists():
        rebuild_facts()  # sets the day to today
        return
    StatsCounterDay.objects.create(pk=1, day=date(1, 1, 1))
    roll_counter_day(timezone.localdate())


class Migration(migrations.Migration):

    dependencies = [
        ('suggestions', '0008_list_counts'),
    ]

    operations = [
        migrations.CreateModel(
            name='StatsCounterDay',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField()),
            ],
        ),
        migrations.AddField(
            model_name='statscounter',
            name='overdue_now',
            field=models.IntegerField(default=0),
        ),
        migrations.AddField(
            model_name='statscounter',
            name='unanswered_overdue',
            field=models.IntegerField(default=0),
        ),
            migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="statscounter",
            index=models.Index(
                fields=["congress_id", "dimension", "year", "group_id", "received"],
                name="stats_counter_rank_idx",
            ),
        ),
    ]
