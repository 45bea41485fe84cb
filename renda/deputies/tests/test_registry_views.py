"""The registry's pages (issue 4 point 1): every page × every world user; the list's filters
and search; a deputy's page with private data only for the office, administrators and the
deputy; the edit, DEP-SUSPEND, DEP-TERMINATE and DEP-PUBLIC forms; groups, delegations, tags;
the export with the template's columns."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from conftest import WORLD_ID_NUMBERS, WORLD_USERS
from renda.audit.models import AuditEvent
from renda.deputies.actions.duties import record_duty
from renda.deputies.actions.registry_groups import add_group_member, create_group
from renda.deputies.models import (
    Delegation,
    DeputyGroup,
    Deputyship,
    ExpertiseTag,
    GroupMembership,
    Person,
)
from renda.deputies.roster import HEADERS
from renda.orgs.models import Term

REGISTRY_USERS = {"admin", "affairs", "county_affairs"}
CITY_OFFICE = {"admin", "affairs"}
SELF_OR_OFFICE = {"admin", "affairs", "deputy"}


def seat(world, username="deputy") -> Deputyship:
    return Deputyship.objects.get(person__user=world[username], congress=world.city)


# --- the matrix ---------------------------------------------------------------------------------
@pytest.mark.parametrize("username", WORLD_USERS)
@pytest.mark.parametrize(
    "path",
    [
        "/deputies/",
        "/deputies/export.xlsx",
        "/deputies/import/",
        "/deputies/import/template.xlsx",
        "/deputies/delegations/",
        "/deputies/groups/",
        "/deputies/tags/",
    ],
)
def test_registry_screens_are_for_offices_and_administrators(signed_in, world, username, path):
    response = signed_in(username).get(path)
    assert response.status_code == (200 if username in REGISTRY_USERS else 404)


@pytest.mark.parametrize("path", ["/deputies/", "/deputies/import/", "/deputies/1/"])
def test_registry_pages_ask_anonymous_people_to_sign_in(client, world, path):
    response = client.get(path)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("username", WORLD_USERS)
def test_a_deputys_page_shows_personal_data_only_to_office_admin_and_self(
    signed_in, world, username
):
    d = seat(world)
    response = signed_in(username).get(f"/deputies/{d.pk}/")
    assert response.status_code == 200  # any signed-in person sees the published fields
    html = response.content.decode()
    number = WORLD_ID_NUMBERS["deputy"]
    assert number not in html  # masked even for those who may see it
    private = username in SELF_OR_OFFICE
    assert ('data-testid="private-fields"' in html) == private
    assert (number[:6] + "********" + number[-4:] in html) == private
    assert ("13800138000" in html) == (username in SELF_OR_OFFICE)
    assert ('data-testid="deputy-actions"' in html) == private


@pytest.mark.parametrize("username", WORLD_USERS)
@pytest.mark.parametrize("action", ["edit", "suspend", "end"])
def test_the_office_forms_open_for_the_congress_office_only(signed_in, world, username, action):
    d = seat(world)
    response = signed_in(username).get(f"/deputies/{d.pk}/{action}/")
    assert response.status_code == (200 if username in CITY_OFFICE else 404)


@pytest.mark.parametrize("username", WORLD_USERS)
def test_published_fields_are_the_office_or_the_deputy_s_DEP_PUBLIC(signed_in, world, username):
    d = seat(world)
    response = signed_in(username).get(f"/deputies/{d.pk}/published/")
    assert response.status_code == (200 if username in SELF_OR_OFFICE else 404)


@pytest.mark.parametrize("username", WORLD_USERS)
def test_my_details_are_the_deputy_s_own(signed_in, world, username):
    d = seat(world)
    response = signed_in(username).get(f"/deputies/{d.pk}/my-details/")
    assert response.status_code == (200 if username == "deputy" else 404)


@pytest.mark.parametrize("username", WORLD_USERS)
def test_my_deputy_record_leads_deputies_to_their_page(signed_in, world, username):
    response = signed_in(username).get("/deputies/my-record/")
    if username in {"deputy", "deputy2", "sc_member"}:
        assert response.status_code == 302
        assert response["Location"] == f"/deputies/{seat(world, username).pk}/"
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("username", WORLD_USERS)
def test_revealing_the_id_number_is_audited_and_for_office_admin_self(signed_in, world, username):
    d = seat(world)
    response = signed_in(username).post(f"/deputies/{d.pk}/id-number/", HTTP_HX_REQUEST="true")
    if username in SELF_OR_OFFICE:
        assert response.status_code == 200
        assert WORLD_ID_NUMBERS["deputy"] in response.content.decode()
    else:
        assert response.status_code == 404
    shown = AuditEvent.objects.filter(verb="person.id_number_shown").count()
    assert shown == (1 if username in CITY_OFFICE else 0)


def test_a_suspended_or_ended_deputy_is_hidden_from_others_but_not_the_office(signed_in, world):
    d = seat(world)
    Deputyship.objects.filter(pk=d.pk).update(status="suspended")
    assert signed_in("edu_clerk").get(f"/deputies/{d.pk}/").status_code == 404
    assert signed_in("affairs").get(f"/deputies/{d.pk}/").status_code == 200
    assert signed_in("deputy").get(f"/deputies/{d.pk}/").status_code == 200


def test_missing_deputies_are_404(signed_in, world):
    for path in ("/deputies/999999/", "/deputies/99999999999999999999/"):
        assert signed_in("affairs").get(path).status_code == 404


# --- the list -------------------------------------------------------------------------------------
def test_the_list_searches_names_and_workplaces_and_filters(signed_in, world):
    Person.objects.filter(user=world["deputy2"]).update(name="郑丽华", workplace="示范市人民医院")
    c = signed_in("affairs")
    html = c.get("/deputies/", {"q": "人民医院"}).content.decode()
    assert "郑丽华" in html and 'data-testid="result-count">1 deputy' in html
    html = c.get(
        "/deputies/", {"q": "郑丽"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="registry-results"
    ).content.decode()
    assert html.lstrip().startswith("<section") and "郑丽华" in html
    Deputyship.objects.filter(person__user=world["sc_member"]).update(status="suspended")
    html = c.get("/deputies/", {"status": "suspended"}).content.decode()
    assert "sc_member" in html and "郑丽华" not in html
    tag = ExpertiseTag.objects.create(name="医疗卫生")
    Person.objects.get(user=world["deputy2"]).expertise.add(tag)
    html = c.get("/deputies/", {"tag": tag.pk}).content.decode()
    assert "郑丽华" in html and ">deputy<" not in html


def test_the_county_office_sees_only_its_own_deputies(signed_in, world):
    html = signed_in("county_affairs").get("/deputies/").content.decode()
    assert 'data-testid="result-count">0 deputies' in html


def test_bad_filters_show_an_empty_list_not_an_error(signed_in, world):
    c = signed_in("affairs")
    for params in ({"term": "abc"}, {"status": "x"}, {"q": "a\x00b"}, {"page": "99999"}):
        assert c.get("/deputies/", params).status_code == 200


def test_the_export_has_the_template_columns_and_round_trips(signed_in, world):
    response = signed_in("affairs").get("/deputies/export.xlsx")
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    numbers = {r[4] for r in rows[1:]}
    assert set(WORLD_ID_NUMBERS.values()) <= numbers  # whole, as text, for the office


def test_the_template_downloads_with_every_column(signed_in, world):
    response = signed_in("affairs").get("/deputies/import/template.xlsx")
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    assert list(next(wb.worksheets[0].iter_rows(values_only=True))) == HEADERS


# --- the office's changes -------------------------------------------------------------------------
def test_the_office_edits_a_record_and_the_history_shows_it(signed_in, world):
    d = seat(world)
    c = signed_in("affairs")
    data = {
        "name": "林志远",
        "id_number": WORLD_ID_NUMBERS["deputy"],
        "gender": "",
        "ethnicity": "汉族",
        "party": "cdl",
        "workplace": "示范市第一中学",
        "sector": "professional",
        "phone": "13912345678",
        "address": "示范市某路1号",
        "expertise": "教育、科技",
        "electoral_unit": "鹿城区",
        "delegation": "",
    }
    response = c.post(f"/deputies/{d.pk}/edit/", data)
    assert response.status_code == 302
    person = Person.objects.get(pk=d.person_id)
    assert (person.name, person.party, person.user.phone) == ("林志远", "cdl", "13912345678")
    assert set(person.expertise.values_list("name", flat=True)) == {"教育", "科技"}
    html = c.get(f"/deputies/{d.pk}/").content.decode()
    assert 'data-verb="person.updated"' in html and 'data-verb="deputyship.updated"' in html
    bad = dict(data, id_number="330302198001010010")
    response = c.post(f"/deputies/{d.pk}/edit/", bad)
    assert response.status_code == 200 and "check character" in response.content.decode()


def test_suspend_resume_and_end_through_the_forms_DEP_SUSPEND_DEP_TERMINATE(signed_in, world):
    d = seat(world)
    c = signed_in("affairs")
    assert (
        c.post(f"/deputies/{d.pk}/suspend/", {"ground": "detained", "on": "2026-03-01"}).status_code
        == 302
    )
    d.refresh_from_db()
    assert d.status == "suspended"
    assert c.post(f"/deputies/{d.pk}/resume/", {"on": "2026-04-01"}).status_code == 302
    unconfirmed = c.post(f"/deputies/{d.pk}/end/", {"ground": "resigned", "on": "2026-05-01"})
    assert unconfirmed.status_code == 200
    d.refresh_from_db()
    assert d.status == "active"  # not without the confirmation
    confirmed = {"ground": "resigned", "on": "2026-05-01", "confirm": "on"}
    assert c.post(f"/deputies/{d.pk}/end/", confirmed).status_code == 302
    d.refresh_from_db()
    assert (d.status, d.end_ground) == ("ended", "resigned")
    again = c.post(f"/deputies/{d.pk}/end/", confirmed)
    assert again.status_code == 200 and "ended" in again.content.decode()


def test_published_fields_never_offer_personal_data_DEP_PUBLIC(signed_in, world):
    d = seat(world)
    c = signed_in("deputy")
    html = c.get(f"/deputies/{d.pk}/published/").content.decode()
    assert 'value="id_number"' not in html and 'value="phone"' not in html
    assert c.post(f"/deputies/{d.pk}/published/", {"fields_": ["id_number"]}).status_code == 200
    assert c.post(f"/deputies/{d.pk}/published/", {"fields_": ["party"]}).status_code == 302
    d.refresh_from_db()
    assert d.public_fields == ["party"]
    html = signed_in("edu_clerk").get(f"/deputies/{d.pk}/").content.decode()
    assert "示范市某单位" not in html  # the workplace is no longer published


def test_a_deputy_edits_their_own_phone_address_and_expertise_only(signed_in, world):
    d = seat(world)
    c = signed_in("deputy")
    response = c.post(
        f"/deputies/{d.pk}/my-details/",
        {"phone": "13911110000", "address": "示范市某路2号", "expertise": "法律", "party": "cdl"},
    )
    assert response.status_code == 302
    person = Person.objects.get(pk=d.person_id)
    assert (person.user.phone, person.address, person.party) == (
        "13911110000",
        "示范市某路2号",
        "cpc",
    )
    assert c.post(f"/deputies/{d.pk}/my-details/", {"phone": "123"}).status_code == 200


# --- groups, delegations, tags ---------------------------------------------------------------
def test_a_mixed_group_of_city_and_county_deputies_with_a_leader(signed_in, world):
    from renda.deputies.actions.registry import PersonIn, register_deputy
    from renda.deputies.idcards import check_char

    county_term = Term.objects.create(congress=world.county, number=9, start_date=date(2022, 1, 1))
    number = "33030219800202001"
    county = register_deputy(
        congress=world.county,
        term=county_term,
        person=PersonIn(name="县代表", id_number=number + check_char(number)),
        electoral_unit="第1选区",
        by=world["county_affairs"],
    )
    c = signed_in("county_affairs")
    response = c.post(
        "/deputies/groups/",
        {"congress": world.county.pk, "name": "五马街道代表小组", "kind": "deputy_group"},
    )
    group = DeputyGroup.objects.get(name="五马街道代表小组")
    assert response["Location"] == f"/deputies/groups/{group.pk}/"
    city = seat(world)
    html = c.get(f"/deputies/groups/{group.pk}/search/", {"q": "deputy"}).content.decode()
    assert f'value="{city.pk}"' in html  # a city deputy may join the county's township group
    for d in (county, city):
        c.post(f"/deputies/groups/{group.pk}/members/", {"deputyship": d.pk, "do": "add"})
    c.post(f"/deputies/groups/{group.pk}/members/", {"deputyship": county.pk, "do": "lead"})
    members = {m.deputyship_id: m.is_leader for m in GroupMembership.objects.filter(group=group)}
    assert members == {county.pk: True, city.pk: False}
    assert signed_in("affairs").get(f"/deputies/groups/{group.pk}/").status_code == 404


def test_groups_of_unrelated_congresses_cannot_mix(world):
    from renda.errors import InvalidInput
    from renda.orgs.models import Congress

    other = Congress.objects.create(
        name="别市人民代表大会", level="city", region_name="别市", division_code="330400"
    )
    group = create_group(other, name="别市小组", kind="deputy_group", by=world["admin"])
    with pytest.raises(InvalidInput):
        add_group_member(group, seat(world), by=world["admin"])


def test_delegations_and_tags_are_added_renamed_and_removed(signed_in, world):
    c = signed_in("affairs")
    c.post("/deputies/delegations/", {"term": world.term.pk, "name": "鹿城代表团"})
    delegation = Delegation.objects.get(name="鹿城代表团")
    dup = c.post("/deputies/delegations/", {"term": world.term.pk, "name": "鹿城代表团"})
    assert dup.status_code == 200 and Delegation.objects.count() == 1
    c.post(f"/deputies/delegations/{delegation.pk}/rename/", {"name": "鹿城区代表团"})
    delegation.refresh_from_db()
    assert delegation.name == "鹿城区代表团"
    assert (
        signed_in("county_affairs")
        .get(f"/deputies/delegations/{delegation.pk}/rename/")
        .status_code
        == 404
    )
    c.post("/deputies/tags/", {"name": "教育"})
    tag = ExpertiseTag.objects.get(name="教育")
    c.post(f"/deputies/tags/{tag.pk}/rename/", {"name": "教育科技"})
    tag.refresh_from_db()
    assert tag.name == "教育科技"
    c.post(f"/deputies/tags/{tag.pk}/remove/")
    assert not ExpertiseTag.objects.exists()
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"delegation.created", "delegation.renamed", "expertise_tag.removed"} <= verbs


def test_the_deputy_page_lists_this_year_s_duty_records(signed_in, world):
    from django.utils import timezone

    d = seat(world)
    record_duty(
        d, kind="training", occurred_on=timezone.localdate(), title="新任代表培训", source="manual"
    )
    html = signed_in("deputy").get(f"/deputies/{d.pk}/").content.decode()
    assert "新任代表培训" in html
    assert "新任代表培训" not in signed_in("deputy2").get(f"/deputies/{d.pk}/").content.decode()


@pytest.mark.parametrize("username", WORLD_USERS)
def test_the_office_s_object_pages_matrix(signed_in, world, username):
    """Delegations, groups and tags of the city: its office and administrators; tags are shared
    by every office; anyone else 404 (the same as a page that does not exist)."""
    d = seat(world)
    Deputyship.objects.filter(pk=d.pk).update(status="suspended")
    delegation = Delegation.objects.create(congress=world.city, term=world.term, name="鹿城代表团")
    group = create_group(
        world.city, name="教科文卫专业小组", kind="professional_group", by=world["admin"]
    )
    tag = ExpertiseTag.objects.create(name="教育")
    c = signed_in(username)
    city = 200 if username in CITY_OFFICE else 404
    any_office = 200 if username in REGISTRY_USERS else 404
    assert c.get(f"/deputies/{d.pk}/resume/").status_code == city
    assert c.get(f"/deputies/delegations/{delegation.pk}/rename/").status_code == city
    assert c.get(f"/deputies/groups/{group.pk}/").status_code == city
    assert c.get(f"/deputies/groups/{group.pk}/search/", {"q": "x"}).status_code == city
    posted = c.post(f"/deputies/groups/{group.pk}/members/", {"deputyship": d.pk, "do": "add"})
    assert posted.status_code == (302 if username in CITY_OFFICE else 404)
    assert c.get(f"/deputies/tags/{tag.pk}/rename/").status_code == any_office
    removed = c.post(f"/deputies/tags/{tag.pk}/remove/")
    assert removed.status_code == (302 if username in REGISTRY_USERS else 404)
    assert ExpertiseTag.objects.filter(pk=tag.pk).exists() == (username not in REGISTRY_USERS)
