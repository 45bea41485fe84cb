"""Fill the legal calendar with every year the chinese-calendar package knows (2004–2026).

The package is read here, once, and never at run time: it raises an error for years it
does not know (CALENDAR-UNKNOWN-YEAR), while our table simply has no row for them.
"""

from django.db import migrations
from django.utils import timezone


def fill(apps, schema_editor):
    from chinese_calendar.constants import Holiday, holidays, workdays

    CalendarYear = apps.get_model("legal_calendar", "CalendarYear")
    SpecialDay = apps.get_model("legal_calendar", "SpecialDay")
    chinese = {h.value: h.chinese for h in Holiday}
    rows = [
        SpecialDay(date=day, kind="rest", name=chinese.get(name, name), year=day.year)
        for day, name in holidays.items()
    ] + [
        SpecialDay(date=day, kind="workday", name=chinese.get(name, name), year=day.year)
        for day, name in workdays.items()
    ]
    years = sorted({row.year for row in rows})
    existing = set(CalendarYear.objects.filter(year__in=years).values_list("year", flat=True))
    now = timezone.now()
    CalendarYear.objects.bulk_create(
        [CalendarYear(year=y, source="package", entered_at=now) for y in years if y not in existing]
    )
    taken = set(SpecialDay.objects.filter(year__in=years).values_list("date", flat=True))
    SpecialDay.objects.bulk_create([row for row in rows if row.date not in taken], batch_size=500)


def unfill(apps, schema_editor):
    CalendarYear = apps.get_model("legal_calendar", "CalendarYear")
    SpecialDay = apps.get_model("legal_calendar", "SpecialDay")
    years = list(CalendarYear.objects.filter(source="package").values_list("year", flat=True))
    SpecialDay.objects.filter(year__in=years).delete()
    CalendarYear.objects.filter(year__in=years).delete()


class Migration(migrations.Migration):
    dependencies = [("legal_calendar", "0001_initial")]

    operations = [migrations.RunPython(fill, unfill)]
