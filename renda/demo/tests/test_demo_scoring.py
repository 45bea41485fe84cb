"""The demo's performance points (DEP-SCORE): the city has its default table and scores for
last year and this year; the `deputy` login's portrait has something to say (a year with
training and reporting back missing, a full year before); a second seed adds nothing."""

from __future__ import annotations

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from renda.accounts.models import User
from renda.deputies.models import DeputyScore, DutyRecord, ScoreRuleTable, YearScoring
from renda.orgs.models import Congress

YEAR = timezone.localdate().year


def test_the_city_has_a_table_and_both_years_computed(seeded):
    city = Congress.objects.get(division_code="330300")
    assert ScoreRuleTable.objects.filter(congress=city, current=True).count() == 1
    assert set(YearScoring.objects.filter(congress=city).values_list("year", flat=True)) == {
        YEAR - 1,
        YEAR,
    }
    for year in (YEAR - 1, YEAR):
        scores = DeputyScore.objects.filter(deputyship__congress=city, year=year)
        assert scores.count() == 120
        assert len(set(scores.values_list("grade", flat=True))) == 3  # a spread of grades
    assert not DutyRecord.objects.filter(occurred_on__gt=timezone.localdate()).exists()


def test_the_deputy_logins_portrait_shows_what_is_missing(seeded):
    client = Client()
    client.force_login(User.objects.get(username="deputy"))
    response = client.get("/deputies/my-score/")
    assert response.status_code == 200
    view = response.context["view"]
    assert not view.live
    missing = {m.kind for m in view.missing}
    assert "report_back" in missing  # (the activities demo gives this deputy a training)
    assert "session" not in missing
    assert view.next_grade is not None
    assert [y["year"] for y in response.context["year_rows"]] == [YEAR - 1, YEAR]
    assert response.context["year_rows"][0]["grade"] == "good"
    # The demo suggestions this deputy submitted are among the duty records.
    assert view.rows and any(r.kind == "suggestion" and r.count for r in view.rows)


def test_a_second_seed_adds_no_record_and_no_computation(seeded):
    records, scorings = DutyRecord.objects.count(), YearScoring.objects.count()
    call_command("seed_demo")
    assert (DutyRecord.objects.count(), YearScoring.objects.count()) == (records, scorings)
