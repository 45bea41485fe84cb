"""The scoring pages (DEP-SCORE): a permission matrix over every world user for each page, the
portrait's content (points by kind, what is still missing, the next grade, charts' data and
their table equivalents), the office's list (ranking, filters, Excel export, history), the
rule-table form (errors on the field, a save that recomputes), and the htmx status."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from conftest import WORLD_USERS
from renda.deputies.actions.scoring import ensure_rule_table, recompute_scores
from renda.deputies.forms_scoring import RuleTableForm
from renda.deputies.models import (
    Delegation,
    DeputyGroup,
    DeputyScore,
    GroupMembership,
    ScoreRuleTable,
    YearScoring,
)

from .scoring_builders import add_records, deputyship_of

YEAR = timezone.localdate().year
LAST = YEAR - 1
OWN = {"deputy"}  # the deputyship the portrait matrix looks at is deputy's
OFFICE = {"admin", "affairs"}
DEPUTIES = {"deputy", "deputy2", "sc_member"}  # have a deputyship of their own


@pytest.fixture
def scored(world: Any) -> Any:
    d = deputyship_of(world, "deputy")
    add_records(d, "session", 1, year=YEAR)
    add_records(d, "suggestion", 6, year=YEAR)
    add_records(d, "inspection", 3, year=LAST)
    add_records(deputyship_of(world, "deputy2"), "report_back", 1, year=YEAR)
    recompute_scores(world.city, LAST, by=world["affairs"])
    recompute_scores(world.city, YEAR, by=world["affairs"])
    return d


def office_pages(world: Any) -> list[str]:
    table = ScoreRuleTable.objects.get(congress=world.city, current=True)
    c = world.city.pk
    return [
        f"/deputies/scores/?congress={c}",
        f"/deputies/scores.xlsx?congress={c}",
        f"/deputies/scores/status/?congress={c}",
        f"/deputies/scores/rules/?congress={c}",
        f"/deputies/scores/rules/{table.pk}/",
        f"/deputies/scores/history/?congress={c}",
    ]


@pytest.mark.parametrize("username", WORLD_USERS)
def test_permission_matrix_pages(world, signed_in, scored, username):
    """DEP-SCORE points by kind: the deputy themself, their congress's office and admins; the
    office pages: the congress's office and admins. Everyone else: 404, as for a missing page."""
    client = signed_in(username)
    portrait = client.get(f"/deputies/{scored.pk}/score/").status_code
    assert portrait == (200 if username in OWN | OFFICE else 404)
    mine = client.get("/deputies/my-score/").status_code
    assert mine == (200 if username in DEPUTIES else 404)
    codes = [client.get(url).status_code for url in office_pages(world)]
    assert codes == [200 if username in OFFICE else 404] * len(codes), codes
    before = YearScoring.objects.count()
    post = client.post("/deputies/scores/recompute/", {"congress": world.city.pk, "year": YEAR})
    assert post.status_code == (302 if username in OFFICE else 404)
    assert YearScoring.objects.count() == before + (1 if username in OFFICE else 0)
    rules = client.post("/deputies/scores/rules/", _form_data(world, suggestion=4))
    assert rules.status_code == (302 if username in OFFICE else 404)
    assert ScoreRuleTable.objects.count() == (2 if username in OFFICE else 1)


def test_the_county_office_sees_its_own_congress_only(world, signed_in, scored):
    client = signed_in("county_affairs")
    assert client.get("/deputies/scores/").context["f"].congress == world.county
    for url in office_pages(world):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(
            "/deputies/scores/recompute/", {"congress": world.city.pk, "year": YEAR}
        ).status_code
        == 404
    )


def test_anonymous_is_sent_to_sign_in(client, world, scored):
    for url in [f"/deputies/{scored.pk}/score/", "/deputies/my-score/", *office_pages(world)]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    assert client.post("/deputies/scores/recompute/", {}).status_code == 302
    assert client.post("/deputies/scores/rules/", {}).status_code == 302


@pytest.mark.parametrize("pk", ["0", "999999", "99999999999999999999"])
def test_missing_deputyship_or_table_is_404(world, signed_in, pk):
    client = signed_in("affairs")
    assert client.get(f"/deputies/{pk}/score/").status_code == 404
    assert client.get(f"/deputies/scores/rules/{pk}/").status_code == 404
    assert client.get(f"/deputies/my-score/?deputy={pk}").status_code == 404


def test_a_deputy_cannot_pick_someone_elses_seat(world, signed_in, scored):
    other = deputyship_of(world, "deputy2")
    assert signed_in("deputy").get(f"/deputies/my-score/?deputy={other.pk}").status_code == 404
    assert signed_in("deputy").get(f"/deputies/my-score/?deputy={scored.pk}").status_code == 200


def test_a_deputy_role_without_a_registry_entry_is_told_so(world, signed_in):
    from renda.accounts.models import RoleAssignment

    RoleAssignment.objects.create(user=world["nobody"], role="deputy", congress=world.city)
    response = signed_in("nobody").get("/deputies/my-score/")
    assert response.status_code == 200 and response.context["not_registered"]


# --- the portrait ---------------------------------------------------------------------------
def test_portrait_shows_points_missing_items_and_next_grade(world, signed_in, scored):
    response = signed_in("deputy").get("/deputies/my-score/")
    html = response.content.decode()
    view = response.context["view"]
    assert view.total == 35 and view.grade == "poor"  # 20 + 15 (6 suggestions, capped)
    assert 'data-testid="score-total">35<' in html
    missing = [m.kind for m in view.missing]
    assert "report_back" in missing and "training" in missing
    assert "session" not in missing and "suggestion" not in missing
    assert 'data-kind="report_back"' in html
    assert "Not yet reported back to voters" in html
    assert "25 more points to reach" in html  # 60 − 35
    # Charts: the data block, and the same figures as tables.
    data = json.loads(
        html.split('id="score-chart-data" type="application/json">')[1].split("</script>")[0]
    )
    assert data["years"] == {"names": [str(LAST), str(YEAR)], "totals": [15.0, 35.0]}
    assert 15.0 in data["kinds"]["points"]
    assert 'data-testid="score-by-kind"' in html and 'data-testid="score-by-year"' in html
    assert "cap reached" in html
    assert "<script>" not in html  # CSP: no inline script


def test_portrait_of_a_past_year(world, signed_in, scored):
    response = signed_in("affairs").get(f"/deputies/{scored.pk}/score/?year={LAST}")
    assert response.context["view"].total == 15
    assert "Missing in" in response.content.decode()


def test_portrait_of_a_year_never_computed(world, signed_in, scored):
    response = signed_in("deputy").get(f"/deputies/my-score/?year={LAST - 3}")
    assert response.status_code == 200 and response.context["view"] is None
    assert 'data-testid="score-none"' in response.content.decode()


@pytest.mark.parametrize("year", ["abc", str(YEAR + 1), "1800", "2026.5"])
def test_portrait_bad_year_is_422(world, signed_in, scored, year):
    response = signed_in("deputy").get(f"/deputies/my-score/?year={year}")
    assert response.status_code == 422 and "year:" in response.content.decode()


def test_portrait_is_live_before_the_first_computation(world, signed_in):
    add_records(deputyship_of(world, "deputy"), "training", 2, year=YEAR)
    response = signed_in("deputy").get("/deputies/my-score/")
    assert response.context["view"].live and response.context["view"].total == 10
    assert not DeputyScore.objects.exists()


# --- the office's list ------------------------------------------------------------------------
def test_list_ranks_and_names_the_table_used(world, signed_in, scored):
    response = signed_in("affairs").get("/deputies/scores/")
    rows = list(response.context["page"].object_list)
    assert [r.deputyship.person.user.username for r in rows] == ["deputy", "deputy2", "sc_member"]
    assert [r.rank for r in rows] == [1, 2, 3]
    assert [r.total for r in rows] == [35, 10, 0]
    last = response.context["last"]
    assert last.year == YEAR and last.rule_table.current
    assert f"/deputies/scores/rules/{last.rule_table_id}/" in response.content.decode()


def test_list_filters_by_grade_delegation_and_group(world, signed_in, scored):
    delegation = Delegation.objects.create(congress=world.city, term=world.term, name="鹿城代表团")
    d2 = deputyship_of(world, "deputy2")
    d2.delegation = delegation
    d2.save()
    group = DeputyGroup.objects.create(congress=world.city, name="教育专业小组")
    GroupMembership.objects.create(group=group, deputyship=scored)
    client = signed_in("affairs")

    def names(**params):
        response = client.get("/deputies/scores/", params)
        assert response.status_code == 200
        return [r.deputyship.person.user.username for r in response.context["page"].object_list]

    assert names(delegation=delegation.pk) == ["deputy2"]
    assert names(group=group.pk) == ["deputy"]
    assert names(grade="poor") == ["deputy", "deputy2", "sc_member"]
    assert names(grade="good") == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"year": "x"}, "year"),
        ({"year": str(YEAR + 1)}, "year"),
        ({"grade": "great"}, "grade"),
        ({"delegation": "424242"}, "delegation"),
        ({"group": "424242"}, "group"),
    ],
)
def test_list_bad_filter_is_422_naming_the_field(world, signed_in, scored, params, field):
    response = signed_in("affairs").get("/deputies/scores/", params)
    assert response.status_code == 422 and f"{field}:" in response.content.decode()
    assert signed_in("affairs").get("/deputies/scores.xlsx", params).status_code == 422


def test_list_of_a_year_not_computed_says_so(world, signed_in, scored):
    response = signed_in("affairs").get("/deputies/scores/", {"year": LAST - 2})
    assert response.status_code == 200 and 'data-testid="scores-never"' in response.content.decode()


def test_excel_export_has_the_pages_numbers(world, signed_in, scored):
    response = signed_in("affairs").get("/deputies/scores.xlsx", {"year": YEAR})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'deputy-scores-330300-{YEAR}.xlsx"')
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0][:6] == ("Rank", "Name", "Delegation", "Status", "Total", "Grade")
    assert [r[:2] + (r[4],) for r in rows[1:]] == [
        (1, "deputy", 35),
        (2, "deputy2", 10),
        (3, "sc_member", 0),
    ]
    table = dict(r[:2] for r in book.worksheets[1].iter_rows(values_only=True) if r and r[0])
    assert table["Year"] == YEAR and table["Score table"].endswith(
        f"#{ScoreRuleTable.objects.get().pk})"
    )


def test_history_lists_each_computation_with_its_table(world, signed_in, scored):
    response = signed_in("affairs").get("/deputies/scores/history/")
    rows = list(response.context["page"].object_list)
    assert [r.year for r in rows] == [YEAR, LAST]
    assert all(r.rule_table.current for r in rows)


def test_recompute_button(world, signed_in, scored):
    response = signed_in("affairs").post(
        "/deputies/scores/recompute/", {"congress": world.city.pk, "year": LAST}
    )
    assert response.status_code == 302 and f"year={LAST}" in response["Location"]
    assert YearScoring.objects.filter(year=LAST).count() == 2
    bad = signed_in("affairs").post(
        "/deputies/scores/recompute/", {"congress": world.city.pk, "year": "x"}
    )
    assert bad.status_code == 302
    assert YearScoring.objects.count() == 3


def test_status_polls_while_computing_then_refreshes(
    world, signed_in, scored, settings, django_capture_on_commit_callbacks
):
    settings.DEPUTY_SCORE_INLINE_MAX = 0
    client = signed_in("affairs")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/deputies/scores/recompute/", {"congress": world.city.pk, "year": YEAR}
        )
    assert response.status_code == 302
    page = client.get("/deputies/scores/").content.decode()
    assert 'data-state="computing"' in page and 'hx-trigger="every 2s"' in page
    from django_tasks_db.models import DBTaskResult

    from renda.deputies.tasks_scoring import recompute_scores_task

    status = client.get(
        "/deputies/scores/status/", {"waiting": "1"}, headers={"HX-Request": "true"}
    )
    assert 'data-state="computing"' in status.content.decode() and "HX-Refresh" not in status
    queued = DBTaskResult.objects.get()
    recompute_scores_task.call(**queued.args_kwargs["kwargs"])
    DBTaskResult.objects.update(status="SUCCESSFUL")
    done = client.get("/deputies/scores/status/", {"waiting": "1"}, headers={"HX-Request": "true"})
    assert done["HX-Refresh"] == "true"


# --- the rule-table form ----------------------------------------------------------------------
def _form_data(world: Any, **points: Any) -> dict[str, Any]:
    table = ensure_rule_table(world.city)
    data = {k: ("" if v is None else v) for k, v in RuleTableForm.initial_from(table).items()}
    data["congress"] = world.city.pk
    for kind, value in points.items():
        data[f"points_{kind}"] = value
    return data


def test_saving_the_form_makes_a_new_table_and_recomputes(world, signed_in, scored):
    old = ScoreRuleTable.objects.get(current=True)
    data = _form_data(world, suggestion=2)
    data["name"] = "2026年积分办法"
    data["deduct_leave"] = "0.5"
    data["recompute_years"] = [str(LAST)]
    response = signed_in("affairs").post("/deputies/scores/rules/", data)
    assert response.status_code == 302
    new = ScoreRuleTable.objects.get(current=True)
    assert new.pk != old.pk and new.name == "2026年积分办法"
    assert new.rules["points"]["suggestion"] == 2 and new.rules["points"]["leave"] == -0.5
    assert new.rules["bands"] == old.rules["bands"]
    assert DeputyScore.objects.get(deputyship=scored, year=YEAR).total == 32  # 20 + 6 × 2
    assert DeputyScore.objects.get(deputyship=scored, year=LAST).rule_table == new
    assert YearScoring.objects.filter(rule_table=old).count() == 2  # history keeps the old table


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"points_session": "-1"}, "points_session"),
        ({"points_session": "abc"}, "points_session"),
        ({"points_session": "101"}, "points_session"),
        ({"cap_session": "-5"}, "cap_session"),
        ({"deduct_absence": "-5"}, "deduct_absence"),
        ({"band_good": "50", "band_fair": "60"}, "band_fair"),  # overlapping bands
        ({"band_good": "150"}, "band_good"),  # above the highest total
        ({"name": ""}, "name"),
        ({"base": "100"}, "max_total"),  # the ceiling must be above the base
        ({"recompute_years": ["1999"]}, "recompute_years"),
    ],
)
def test_form_errors_land_on_the_field(world, signed_in, scored, change, field):
    data = {**_form_data(world), **change}
    response = signed_in("affairs").post("/deputies/scores/rules/", data)
    assert response.status_code == 422
    assert response.context["form"].errors.get(field), response.context["form"].errors
    assert ScoreRuleTable.objects.count() == 1


def test_form_shows_the_current_table(world, signed_in, scored):
    response = signed_in("affairs").get("/deputies/scores/rules/")
    form = response.context["form"]
    assert form.initial["points_suggestion"] == 3 and form.initial["deduct_absence"] == 5
    assert form.initial["band_good"] == 80 and form.initial["band_basic"] is None
    html = response.content.decode()
    assert 'name="points_report_back"' in html and 'name="deduct_leave"' in html
    assert "<textarea" not in html  # a form per kind, not a raw JSON box
