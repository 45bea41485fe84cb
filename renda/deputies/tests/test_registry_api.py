"""The registry's API (issue 4, fixed contract): GET /api/v1/deputies, GET /api/v1/deputies/{id},
POST /api/v1/deputies/import — every endpoint × every world user; personal data only for the
office, administrators and the deputy (DEP-PUBLIC); the import's dry run and all-or-nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import WORLD_ID_NUMBERS, WORLD_USERS
from renda.deputies.models import Delegation, Deputyship, Person

from .roster_builders import id_for, person_row, xlsx_bytes

SELF_OR_OFFICE = {"admin", "affairs", "deputy"}
CITY_OFFICE = {"admin", "affairs"}


def seat(world, username="deputy") -> Deputyship:
    return Deputyship.objects.get(person__user=world[username], congress=world.city)


def post_file(client, data: bytes, **fields):
    body = {"file": SimpleUploadedFile("roster.xlsx", data), **fields}
    return client.client.post("/api/v1/deputies/import", body, headers=client._headers())


@pytest.mark.parametrize("username", WORLD_USERS)
def test_list_gives_published_fields_and_personal_data_only_to_those_who_may(api, world, username):
    response = api(username).get("/deputies", congress=world.city.pk)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3 and body["page"] == 1 and body["page_size"] == 20
    mine = next(i for i in body["items"] if i["id"] == seat(world).pk)
    if username in SELF_OR_OFFICE:
        assert mine["private"]["id_number"] == WORLD_ID_NUMBERS["deputy"]
        assert mine["public_fields"] is not None
    else:
        assert mine["private"] is None and mine["public_fields"] is None
        assert WORLD_ID_NUMBERS["deputy"] not in response.content.decode()
        assert set(mine["fields"]) <= set(seat(world).public_fields)


def test_list_needs_a_sign_in(api, world):
    assert api().get("/deputies").status_code == 401
    assert api().get(f"/deputies/{seat(world).pk}").status_code == 401


@pytest.mark.parametrize("username", WORLD_USERS)
def test_detail_by_deputyship_id(api, world, username):
    response = api(username).get(f"/deputies/{seat(world).pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == seat(world).person.name and body["term"] == 14
    assert (body["private"] is not None) == (username in SELF_OR_OFFICE)


@pytest.mark.parametrize("username", WORLD_USERS)
def test_a_suspended_deputy_is_visible_to_office_admin_self_only(api, world, username):
    d = seat(world)
    Deputyship.objects.filter(pk=d.pk).update(status="suspended")
    response = api(username).get(f"/deputies/{d.pk}")
    assert response.status_code == (200 if username in SELF_OR_OFFICE else 404)


def test_unpublished_fields_stay_hidden_DEP_PUBLIC(api, world):
    d = seat(world)
    Deputyship.objects.filter(pk=d.pk).update(public_fields=["party"])
    body = api("edu_clerk").get(f"/deputies/{d.pk}").json()
    assert set(body["fields"]) == {"party"}


def test_list_filters_search_and_paginates(api, world):
    Person.objects.filter(user=world["deputy2"]).update(workplace="示范市人民医院")
    client = api("affairs")
    assert client.get("/deputies", q="人民医院").json()["count"] == 1
    assert client.get("/deputies", tag="教育").json()["count"] == 0
    assert client.get("/deputies", group=999).json()["count"] == 0
    page = client.get("/deputies", page_size=2, page=2).json()
    assert (page["count"], len(page["items"])) == (3, 1)
    for bad in ({"page_size": 1000}, {"q": "x" * 51}, {"congress": 0}, {"q": "a\x00"}):
        assert client.get("/deputies", **bad).status_code == 422


def test_missing_deputies_are_404(api, world):
    for pk in (999999, 10**20):
        assert api("admin").get(f"/deputies/{pk}").status_code in (404, 422)
    assert api("admin").get("/deputies/999999").status_code == 404


# --- import ---------------------------------------------------------------------------------
@pytest.mark.parametrize("username", WORLD_USERS)
def test_import_is_for_the_congress_office(api, world, username):
    data = xlsx_bytes([person_row(1)])
    response = post_file(api(username), data, congress=world.city.pk, term=world.term.pk)
    assert response.status_code == (200 if username in CITY_OFFICE else 403)
    assert not Person.objects.filter(id_number=id_for(1)).exists()  # a dry run by default


def test_import_dry_run_then_for_real(api, world):
    client = api("affairs")
    data = xlsx_bytes([person_row(1), person_row(2)])
    dry = post_file(client, data, congress=world.city.pk, term=world.term.pk, dry_run="true")
    body = dry.json()
    assert body["rows"] == [
        {"row": 2, "ok": True, "errors": [], "action": "create"},
        {"row": 3, "ok": True, "errors": [], "action": "create"},
    ]
    assert (body["created"], body["updated"], body["dry_run"]) == (2, 0, True)
    assert not Person.objects.filter(id_number=id_for(1)).exists()
    real = post_file(client, data, congress=world.city.pk, term=world.term.pk, dry_run="false")
    assert real.status_code == 200 and real.json()["created"] == 2
    assert Deputyship.objects.filter(person__id_number=id_for(2), term=world.term).exists()
    again = post_file(client, data, congress=world.city.pk, term=world.term.pk, dry_run="false")
    assert (again.json()["created"], again.json()["updated"]) == (0, 2)


def test_import_with_a_bad_row_writes_nothing_and_says_which(api, world):
    Delegation.objects.create(congress=world.city, term=world.term, name="鹿城代表团")
    data = xlsx_bytes([person_row(1, 代表团="鹿城代表团"), person_row(2, 代表团="无此代表团")])
    response = post_file(
        api("affairs"), data, congress=world.city.pk, term=world.term.pk, dry_run="false"
    )
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "roster_has_errors" and (body["created"], body["updated"]) == (0, 0)
    assert body["rows"][0]["ok"] and not body["rows"][1]["ok"]
    assert "鹿城代表团" in body["rows"][1]["errors"][0]
    assert not Person.objects.filter(id_number=id_for(1)).exists()


@pytest.mark.parametrize(
    ("data", "code"),
    [(b"", "roster_file"), (b"%PDF-1.4 hello", "roster_file"), (b"\x00\x01" * 100, "roster_file")],
)
def test_import_of_no_roster_is_a_clear_422(api, world, data, code):
    response = post_file(api("affairs"), data, congress=world.city.pk, term=world.term.pk)
    assert response.status_code == 422 and response.json()["error"] == code


def test_import_checks_its_form_fields(api, world):
    client = api("affairs")
    data = xlsx_bytes([person_row(1)])
    assert post_file(client, data, congress=world.city.pk).status_code == 422  # no term
    assert post_file(client, data, congress=world.city.pk, term=999).status_code == 422
    county_term = world.term.__class__.objects.create(
        congress=world.county, number=9, start_date=world.term.start_date
    )
    wrong = post_file(client, data, congress=world.city.pk, term=county_term.pk)
    assert wrong.status_code == 422
    no_file = client.client.post(
        "/api/v1/deputies/import",
        {"congress": world.city.pk, "term": world.term.pk},
        headers=client._headers(),
    )
    assert no_file.status_code == 422
