"""The roster import's pages: upload → report (nothing written) → confirm (the kept file checked
again) — a file with errors cannot be confirmed; the kept file cannot be swapped or reused."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from conftest import WORLD_USERS
from renda.deputies.models import Person
from renda.deputies.views_roster import SESSION_KEY, UPLOADS

from .roster_builders import id_for, person_row, xlsx_bytes


def upload(client, world, data: bytes, name="名册.xlsx"):
    return client.post(
        "/deputies/import/", {"term": world.term.pk, "file": SimpleUploadedFile(name, data)}
    )


def token_of(client) -> str:
    (token,) = client.session[SESSION_KEY]
    return token


@pytest.mark.parametrize("username", WORLD_USERS)
def test_import_pages_are_for_offices(signed_in, world, username):
    c = signed_in(username)
    assert c.get("/deputies/import/").status_code == (
        200 if username in {"admin", "affairs", "county_affairs"} else 404
    )
    response = c.post("/deputies/import/confirm/", {"token": "x"})
    assert response.status_code == (
        302 if username in {"admin", "affairs", "county_affairs"} else 404
    )


def test_upload_shows_the_report_then_confirm_imports(signed_in, world):
    c = signed_in("affairs")
    response = upload(c, world, xlsx_bytes([person_row(1), person_row(2)]))
    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="confirm-import"' in html
    assert 'data-testid="rows-create">2<' in html
    assert not Person.objects.filter(id_number=id_for(1)).exists()
    token = token_of(c)
    assert default_storage.exists(f"{UPLOADS}/{token}")
    response = c.post("/deputies/import/confirm/", {"token": token})
    assert (
        response.status_code == 302 and response["Location"] == f"/deputies/?term={world.term.pk}"
    )
    assert Person.objects.filter(id_number__in=[id_for(1), id_for(2)]).count() == 2
    assert not default_storage.exists(f"{UPLOADS}/{token}")
    again = c.post("/deputies/import/confirm/", {"token": token})  # a replay imports nothing
    assert again.status_code == 302 and again["Location"] == "/deputies/import/"


def test_a_file_with_errors_cannot_be_confirmed(signed_in, world):
    c = signed_in("affairs")
    bad = person_row(2, 身份证号码="123")
    html = upload(c, world, xlsx_bytes([person_row(1), bad])).content.decode()
    assert 'data-testid="not-importable"' in html and 'data-testid="confirm-import"' not in html
    assert 'data-row="3"' in html and "18 characters" in html
    assert not c.session.get(SESSION_KEY)


def test_confirm_checks_again_and_refuses_if_the_registry_changed(signed_in, world):
    from renda.accounts.models import User

    c = signed_in("affairs")
    upload(c, world, xlsx_bytes([person_row(1, 手机号码="13977778888")]))
    token = token_of(c)
    # Meanwhile another deputy's record takes that phone number.
    User.objects.filter(username="deputy2").update(phone="13977778888")
    response = c.post("/deputies/import/confirm/", {"token": token})
    html = response.content.decode()
    assert response.status_code == 200 and "belongs to another deputy" in html
    assert not Person.objects.filter(id_number=id_for(1)).exists()


def test_a_token_of_someone_else_s_session_is_refused(signed_in, world):
    office = signed_in("affairs")
    upload(office, world, xlsx_bytes([person_row(1)]))
    token = token_of(office)
    other = signed_in("admin")
    response = other.post("/deputies/import/confirm/", {"token": token})
    assert response["Location"] == "/deputies/import/"
    assert not Person.objects.filter(id_number=id_for(1)).exists()


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"%PDF-1.4 x", "PDF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "not an Excel"),
    ],
)
def test_bad_files_get_a_form_error_not_a_500(signed_in, world, data, words):
    response = upload(signed_in("affairs"), world, data)
    assert response.status_code == 200 and words in response.content.decode()


@override_settings(RENDA_ROSTER_MAX_MB=0.001)
def test_a_file_over_the_limit_is_refused(signed_in, world):
    response = upload(
        signed_in("affairs"), world, xlsx_bytes([person_row(i) for i in range(1, 30)])
    )
    assert "larger than" in response.content.decode()


def test_the_county_office_cannot_import_into_the_city(signed_in, world):
    response = upload(signed_in("county_affairs"), world, xlsx_bytes([person_row(1)]))
    assert response.status_code == 200
    assert 'data-testid="confirm-import"' not in response.content.decode()  # term not offered
