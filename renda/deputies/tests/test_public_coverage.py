"""Coverage dashboards (issue 4 point 6): deputies not yet reported back / trained / sat in this
term, standing-committee members below their fixed-contact target, and the DEP-TERMINATE flag
(two sessions absent without approved leave) — counts, lists, filters, Excel, permissions."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from conftest import WORLD_USERS
from renda.audit.models import AuditEvent
from renda.deputies.actions.public import add_contact_link, remove_contact_link
from renda.deputies.models import ContactLink, Deputyship
from renda.deputies.queries_coverage import (
    CoverageFilter,
    coverage_summary,
    flagged_deputies,
    missing_duty,
    sc_below_target,
)
from renda.deputies.tests.public_builders import (
    absent,
    days_ago,
    delegation,
    deputyship_of,
    duty,
    extra_deputy,
    group,
    sc_membership,
    session,
)
from renda.errors import DomainError, Forbidden, InvalidInput

OFFICE = {"affairs", "admin"}  # the city congress's office (and administrators)


def _f(world: Any, **extra: Any) -> CoverageFilter:
    return CoverageFilter(congress=world.city, term=world.term, today=timezone.localdate(), **extra)


@pytest.fixture
def scene(world: Any) -> dict[str, Any]:
    """deputy: reported back and trained; deputy2: trained only; sc_member: nothing; one ended
    deputy with nothing (never listed); one deputy with a report-back before the term."""
    dl = delegation(world, "鹿城代表团")
    dep, dep2, sc = (deputyship_of(world, u) for u in ("deputy", "deputy2", "sc_member"))
    Deputyship.objects.filter(pk__in=[dep.pk, dep2.pk]).update(delegation=dl)
    duty(dep, "report_back", days_ago(30))
    duty(dep, "training", days_ago(40))
    duty(dep2, "training", days_ago(10))
    duty(dep2, "report_back", date(2021, 6, 1))  # before the term started (2022-01-01)
    gone = extra_deputy(world, "已终止代表", status="ended")
    return {"dl": dl, "dep": dep, "dep2": dep2, "sc": sc, "gone": gone}


def test_duty_lists_name_who_has_not_done_it_this_term(world: Any, scene: Any) -> None:
    f = _f(world)
    assert set(missing_duty(f, "report_back")) == {scene["dep2"], scene["sc"]}
    assert set(missing_duty(f, "training")) == {scene["sc"]}
    assert set(missing_duty(f, "sc_sitting")) == {scene["dep"], scene["dep2"], scene["sc"]}
    s = coverage_summary(f)
    assert s.deputies == 3  # the ended deputyship is not counted
    assert s.missing == {"report_back": 2, "training": 1, "sc_sitting": 3}


def test_filters_by_delegation_and_group(world: Any, scene: Any) -> None:
    f = _f(world, delegation=scene["dl"])
    assert set(missing_duty(f, "report_back")) == {scene["dep2"]}
    assert coverage_summary(f).deputies == 2
    g = group(world, "城区代表小组", scene["sc"], scene["dep"])
    f = _f(world, group=g)
    assert set(missing_duty(f, "report_back")) == {scene["sc"]}
    assert coverage_summary(f).missing == {"report_back": 1, "training": 1, "sc_sitting": 2}


def test_sc_members_below_the_target_of_fixed_contacts(world: Any, scene: Any) -> None:
    """The target is the rule profile's sc_contact_target (5, practice)."""
    member = sc_membership(world)
    f = _f(world)
    assert list(sc_below_target(f)) == [member]
    assert sc_below_target(f)[0].contacts == 0
    others = [extra_deputy(world, f"基层代表{i}") for i in range(5)]
    for d in others[:4]:
        add_contact_link(member, d, by=world["affairs"])
    assert sc_below_target(f)[0].contacts == 4
    add_contact_link(member, others[4], by=world["affairs"])
    assert list(sc_below_target(f)) == []
    # A contact whose deputyship ended no longer counts.
    Deputyship.objects.filter(pk=others[0].pk).update(status="ended")
    assert sc_below_target(f)[0].contacts == 4
    s = coverage_summary(f)
    assert (s.sc_members, s.sc_below, s.sc_target) == (1, 1, 5)


def test_contact_link_rules(world: Any, scene: Any) -> None:
    member = sc_membership(world)
    with pytest.raises(Forbidden):
        add_contact_link(member, scene["dep"], by=world["county_affairs"])
    with pytest.raises(InvalidInput):
        add_contact_link(member, scene["sc"], by=world["affairs"])  # themselves
    with pytest.raises(InvalidInput):
        add_contact_link(member, scene["gone"], by=world["affairs"])  # ended
    link = add_contact_link(member, scene["dep"], by=world["affairs"])
    with pytest.raises(DomainError):
        add_contact_link(member, scene["dep"], by=world["affairs"])  # twice
    remove_contact_link(link, by=world["affairs"])
    assert not ContactLink.objects.exists()
    verbs = list(AuditEvent.objects.order_by("seq").values_list("verb", flat=True))
    assert verbs[-2:] == ["contact_link.added", "contact_link.removed"]


def test_dep_terminate_flag_two_distinct_sessions_absent_without_leave(
    world: Any, scene: Any
) -> None:
    """DEP-TERMINATE: absent without approved leave from two sessions → listed for the
    standing committee; one session twice, or an absence with approved leave, does not count;
    the platform never ends the deputyship."""
    s3, s4 = session(world, 3, date(2024, 1, 20)), session(world, 4, date(2025, 1, 20))
    dep, dep2, sc = scene["dep"], scene["dep2"], scene["sc"]
    absent(world, dep, s3)
    absent(world, dep, s4)
    absent(world, dep2, s3)
    absent(world, dep2, s3)  # a second day of the same session
    absent(world, sc, s3)
    absent(world, sc, s4, leave="approved")  # leave was approved: not unexcused
    rows = flagged_deputies(_f(world))
    assert [r.deputyship for r in rows] == [dep]
    assert rows[0].sessions == [s3, s4]
    assert Deputyship.objects.get(pk=dep.pk).status == "active"  # never ended by the system
    assert coverage_summary(_f(world)).flagged == 1
    # A refused leave request does not excuse.
    absent(world, sc, session(world, 2, date(2023, 1, 20)), leave="refused")
    assert {r.deputyship for r in flagged_deputies(_f(world))} == {dep, sc}


def test_flag_ignores_ended_deputyships_and_non_session_activities(world: Any, scene: Any) -> None:
    s3, s4 = session(world, 3, date(2024, 1, 20)), session(world, 4, date(2025, 1, 20))
    absent(world, scene["gone"], s3)
    absent(world, scene["gone"], s4)
    assert flagged_deputies(_f(world)) == []


# --- pages ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("username", WORLD_USERS)
def test_dashboard_for_the_office_only(signed_in: Any, scene: Any, username: str) -> None:
    response = signed_in(username).get(reverse("deputies:coverage"))
    if username in OFFICE:
        assert response.status_code == 200
        html = response.content.decode()
        assert 'data-count="report_back">2<' in html and 'data-count="training">1<' in html
        assert 'data-testid="coverage-chart"' in html
    elif username == "county_affairs":
        assert response.status_code == 200  # its own congress, which has no term
        assert 'data-testid="coverage-no-term"' in response.content.decode()
    else:
        assert response.status_code == 404


def test_dashboard_lists_and_flag_statement(world: Any, signed_in: Any, scene: Any) -> None:
    s3, s4 = session(world, 3, date(2024, 1, 20)), session(world, 4, date(2025, 1, 20))
    absent(world, scene["dep"], s3)
    absent(world, scene["dep"], s4)
    client = signed_in("affairs")
    html = client.get(reverse("deputies:coverage") + "?list=training").content.decode()
    assert html.count('data-testid="missing-row"') == 1 and scene["sc"].person.name in html
    html = client.get(reverse("deputies:coverage") + "?list=flagged").content.decode()
    assert 'data-testid="flag-statement"' in html
    assert "never ends a deputyship by itself" in html
    assert html.count('data-testid="flagged-row"') == 1
    dl = scene["dl"].pk
    html = client.get(f"{reverse('deputies:coverage')}?list=report_back&delegation={dl}").content
    assert html.decode().count('data-testid="missing-row"') == 1


@pytest.mark.parametrize(
    "query", ["list=nope", "delegation=abc", "delegation=999999", "group=x", "congress=abc"]
)
def test_dashboard_bad_filters(signed_in: Any, scene: Any, query: str) -> None:
    status = signed_in("affairs").get(reverse("deputies:coverage") + "?" + query).status_code
    assert status in (404, 422)


@pytest.mark.parametrize("key", ["report_back", "training", "sc_sitting", "sc_contacts", "flagged"])
def test_excel_export_of_each_list(world: Any, signed_in: Any, scene: Any, key: str) -> None:
    sc_membership(world)
    response = signed_in("affairs").get(reverse("deputies:coverage_xlsx") + f"?list={key}")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = [r for r in book.active.iter_rows(values_only=True)]
    text = repr(rows)
    assert world.city.name in text
    if key == "training":
        assert scene["sc"].person.name in text and scene["dep"].person.name not in text
    # No personal data in any export.
    assert "13800138000" not in text and "330302" not in text


@pytest.mark.parametrize("username", WORLD_USERS)
def test_excel_export_for_the_office_only(signed_in: Any, scene: Any, username: str) -> None:
    status = signed_in(username).get(reverse("deputies:coverage_xlsx")).status_code
    if username in OFFICE:
        assert status == 200
    else:
        assert status == 404


def test_dashboard_query_count_does_not_grow_with_deputies(
    world: Any, signed_in: Any, scene: Any, django_assert_max_num_queries: Any
) -> None:
    for i in range(30):
        d = extra_deputy(world, f"代表{i}")
        duty(d, "training", days_ago(5))
    client = signed_in("affairs")
    client.get(reverse("deputies:coverage"))
    with django_assert_max_num_queries(16):
        response = client.get(reverse("deputies:coverage"))
    assert response.status_code == 200


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner")
def test_duty_lists_use_the_duty_tally_index_on_sqlite(world: Any, scene: Any) -> None:
    """The lists read one range of the tallies' index (congress, kind, year, deputyship) once,
    as an uncorrelated subquery (not a probe per deputy), and never the records."""
    qs = missing_duty(_f(world), "report_back")
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(str(row) for row in cur.fetchall())
    assert "COVERING INDEX duty_tally_congress_idx (congress_id=? AND kind=?" in plan, plan
    assert "LIST SUBQUERY" in plan and "CORRELATED" not in plan, plan
    assert "dutyrecord" not in plan, plan


# --- fixed contacts pages -----------------------------------------------------------------------
@pytest.mark.parametrize("username", WORLD_USERS)
def test_contacts_pages_for_the_office_only(
    world: Any, signed_in: Any, scene: Any, username: str
) -> None:
    member = sc_membership(world)
    client = signed_in(username)
    pages = [reverse("deputies:contacts"), reverse("deputies:member_contacts", args=[member.pk])]
    add = client.post(
        reverse("deputies:contact_add", args=[member.pk]), {"deputyship": scene["dep"].pk}
    )
    if username in OFFICE:
        assert all(client.get(p).status_code == 200 for p in pages)
        assert add.status_code == 302 and ContactLink.objects.count() == 1
        link = ContactLink.objects.get()
        assert client.post(reverse("deputies:contact_remove", args=[link.pk])).status_code == 302
        assert not ContactLink.objects.exists()
    else:
        member_page = client.get(pages[1]).status_code
        assert member_page == 404 and add.status_code == 404
        assert not ContactLink.objects.exists()


def test_member_page_finds_deputies_to_add(world: Any, signed_in: Any, scene: Any) -> None:
    member = sc_membership(world)
    url = reverse("deputies:member_contacts", args=[member.pk])
    html = signed_in("affairs").get(url + "?q=deputy").content.decode()
    assert "deputy2" in html
    assert html.count('name="deputyship"') == 2  # deputy, deputy2; not the member themselves


# --- the API -------------------------------------------------------------------------------------
@pytest.mark.parametrize("username", [None, *WORLD_USERS])
def test_api_coverage_for_the_office_only(
    world: Any, api: Any, scene: Any, username: str | None
) -> None:
    client = api(username)
    summary = client.get(f"/deputies/congress/{world.city.pk}/coverage")
    listing = client.get(f"/deputies/congress/{world.city.pk}/coverage/report_back")
    if username is None:
        assert summary.status_code == listing.status_code == 401
    elif username in OFFICE:
        assert summary.status_code == 200
        assert summary.json()["missing"] == {"report_back": 2, "training": 1, "sc_sitting": 3}
        body = listing.json()
        assert body["count"] == 2 and {r["id"] for r in body["results"]} == {
            scene["dep2"].pk,
            scene["sc"].pk,
        }
    else:
        assert summary.status_code == listing.status_code == 404


def test_api_contact_links(world: Any, api: Any, scene: Any) -> None:
    member = sc_membership(world)
    client = api("affairs")
    payload = {"member": member.pk, "deputy": scene["dep"].pk}
    created = client.post("/deputies/contact-links/new", payload)
    assert created.status_code == 201
    assert client.post("/deputies/contact-links/new", payload).status_code == 409
    members = client.get(f"/deputies/congress/{world.city.pk}/sc-members").json()
    assert members == [
        {"id": member.pk, "name": member.user.display_name, "contacts": 1, "target": 5}
    ]
    other = {"member": member.pk, "deputy": scene["dep2"].pk}
    assert api("deputy").post("/deputies/contact-links/new", other).status_code == 404
    url = f"/api/v1/deputies/contact-links/{created.json()['id']}"
    county = api("county_affairs")
    assert county.client.delete(url, headers=county._headers()).status_code == 404
    assert client.client.delete(url, headers=client._headers()).status_code == 204
    assert not ContactLink.objects.exists()
