"""The livelihood pages and API, thin: what each answers for good and bad input (never a 500),
limits with 429 + Retry-After, the honeypot, the window, photos without EXIF, the Excel files,
and the vote played through the office's page."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image

from renda.livelihood import actions
from renda.livelihood.models import Plan, Project, Proposal, ReportPhoto
from renda.votes.actions import cast_vote

from . import builders as b

pytestmark = pytest.mark.django_db


def _post(client, plan, **data):
    return client.post(reverse("livelihood_public:propose", args=[plan.pk]), data)


def test_public_form_stores_a_proposal_and_thanks(world, client):
    p = b.plan(world)
    r = _post(client, p, title="加装电梯", text="老小区", name="张三", phone="139 0000 1111")
    assert r.status_code == 302 and r["Location"].endswith(f"/minsheng/{p.pk}/thanks/")
    assert Proposal.objects.get().phone == "139 0000 1111"
    assert client.get(r["Location"]).status_code == 200


def test_honeypot_looks_done_and_keeps_nothing(world, client):
    p = b.plan(world)
    r = _post(client, p, title="x", text="y", website="http://spam")
    assert r.status_code == 200 and b"proposal-thanks" in r.content
    assert not Proposal.objects.exists()


def test_bad_input_is_422_on_the_form(world, client):
    p = b.plan(world)
    assert _post(client, p, title="", text="y").status_code == 422
    assert _post(client, p, title="t", text="y", phone="abc").status_code == 422
    assert _post(client, p, title="t", text="a\x00b").status_code == 422
    assert not Proposal.objects.exists()


def test_outside_the_window_a_clear_refusal(world, client):
    p = b.plan(world, collect_from=b.some_day(5), collect_until=b.some_day(9))
    r = client.get(reverse("livelihood_public:propose", args=[p.pk]))
    assert r.status_code == 409 and b"window-closed" in r.content
    assert _post(client, p, title="t", text="y").status_code == 409
    api = client.post(
        "/api/v1/livelihood/proposals",
        {"plan": p.pk, "title": "t", "text": "y"},
        content_type="application/json",
    )
    assert api.status_code == 409 and api.json()["error"] == "window_closed"


@override_settings(RENDA_OPINION_SUBMIT_LIMITS=[(1, 600)])
def test_too_many_proposals_from_one_address_get_429(world, client):
    p = b.plan(world)
    assert _post(client, p, title="t", text="y").status_code == 302
    r = _post(client, p, title="t2", text="y")
    assert r.status_code == 429 and int(r["Retry-After"]) > 0
    api = client.post(
        "/api/v1/livelihood/proposals",
        {"plan": p.pk, "title": "t", "text": "y"},
        content_type="application/json",
    )
    assert api.status_code == 429 and int(api["Retry-After"]) > 0
    assert Proposal.objects.count() == 1


@override_settings(RENDA_OPINION_PHONE_LIMITS=[(1, 600)])
def test_too_many_proposals_from_one_phone_get_429(world):
    p = b.plan(world)
    one, two = Client(REMOTE_ADDR="10.0.0.1"), Client(REMOTE_ADDR="10.0.0.2")
    assert _post(one, p, title="t", text="y", phone="13900001111").status_code == 302
    assert _post(two, p, title="t", text="y", phone="139-0000-1111").status_code == 429


@pytest.mark.parametrize(
    "body",
    [
        {"plan": 1},
        {"plan": "x", "title": "t", "text": "y"},
        {"plan": 1, "title": "t", "text": "y", "anonymous": "maybe"},
        {"plan": 1, "title": "t", "text": ["y"]},
    ],
)
def test_proposal_api_bad_bodies_are_422(world, client, body):
    b.plan(world)
    r = client.post("/api/v1/livelihood/proposals", body, content_type="application/json")
    assert r.status_code == 422, r.content


def test_proposal_api_unknown_plan_is_404_and_bad_json_400(world, client):
    r = client.post(
        "/api/v1/livelihood/proposals",
        {"plan": 999999, "title": "t", "text": "y"},
        content_type="application/json",
    )
    assert r.status_code == 404
    r = client.post("/api/v1/livelihood/proposals", "{", content_type="application/json")
    assert r.status_code == 400


def test_projects_api_filters_by_year_and_shows_progress(world, client):
    p, chosen = b.chosen(world)
    actions.add_milestone(chosen[0], title="开工", planned_on=b.some_day(-3), by=world["affairs"])
    rows = client.get(f"/api/v1/livelihood/projects?year={p.year}").json()
    assert {r["id"] for r in rows} == {c.pk for c in chosen}
    assert {r["progress"] for r in rows} == {"late", "on_time"}
    assert client.get("/api/v1/livelihood/projects?year=1999").json() == []
    assert client.get("/api/v1/livelihood/projects?year=abc").status_code == 422
    plans = client.get("/api/v1/livelihood/plans").json()
    assert plans[0]["max_choices"] == 2 and plans[0]["state"] == "chosen"


def _jpeg() -> bytes:
    img = Image.new("RGB", (30, 20), (0, 120, 200))
    exif = Image.Exif()
    exif[0x8825] = {2: (28.0, 0.0, 0.0)}  # GPS
    exif[0x010F] = "SecretCam"
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_report_form_with_a_photo_public_on_the_board_without_exif(world, signed_in):
    p, chosen = b.chosen(world)
    c = signed_in("edu_clerk")
    r = c.post(
        reverse("livelihood:project_report", args=[chosen[0].pk]),
        {
            "month": f"{timezone.localdate():%Y-%m}",
            "text": "完成一半",
            "percent": "50",
            "spent": "600000",
            "photos": [SimpleUploadedFile("x.jpg", _jpeg(), content_type="image/jpeg")],
        },
    )
    assert r.status_code == 302, r.content[:500]
    photo = ReportPhoto.objects.get()
    got = Client().get(reverse("livelihood_public:photo", args=[photo.pk]))
    data = b"".join(got.streaming_content)
    assert got.status_code == 200 and b"SecretCam" not in data
    board = Client().get(reverse("livelihood_public:board", args=[p.pk])).content.decode()
    assert "完成一半" in board and "50.0%" in board


def test_report_form_refuses_a_fake_photo_with_422(world, signed_in):
    _p, chosen = b.chosen(world)
    r = signed_in("edu_clerk").post(
        reverse("livelihood:project_report", args=[chosen[0].pk]),
        {
            "month": "2020-01",
            "text": "x",
            "percent": "5",
            "spent": "1",
            "photos": [SimpleUploadedFile("x.jpg", b"<script>", content_type="image/jpeg")],
        },
    )
    assert r.status_code == 422 and not chosen[0].reports.exists()


def test_board_shows_late_and_done_and_a_map(world, client):
    p, chosen = b.chosen(world)
    late, done = chosen
    Project.objects.filter(pk=late.pk).update(latitude="28.0", longitude="120.6")
    Project.objects.filter(pk=done.pk).update(latitude="28.1", longitude="120.7")
    actions.add_milestone(late, title="开工", planned_on=b.some_day(-3), by=world["affairs"])
    actions.complete_project(done, done_on=b.some_day(0), by=world["edu_clerk"])
    r = client.get(reverse("livelihood_public:board", args=[p.pk]))
    body = r.content.decode()
    assert 'data-progress="late"' in body and 'data-progress="done"' in body
    assert 'data-testid="board-map"' in body and body.count("<circle") == 2


def test_excel_exports(world, signed_in, client):
    p, chosen = b.chosen(world, n=3, m=2)
    r = client.get(reverse("livelihood_public:board_xlsx", args=[p.pk]))
    wb = load_workbook(io.BytesIO(b"".join(r.streaming_content)))
    rows = list(wb.active.iter_rows(values_only=True))
    assert len(rows) == 2 + len(chosen) and rows[2][3] == 1200000
    r = signed_in("affairs").get(reverse("livelihood:candidates_xlsx", args=[p.pk]))
    wb = load_workbook(io.BytesIO(b"".join(r.streaming_content)))
    rows = list(wb.active.iter_rows(values_only=True))
    assert len(rows) == 2 + 3 and "M = 2, N = 3" in rows[0][0]


def test_office_plays_the_vote_from_the_plan_page(world, signed_in):
    """LP-VOTE and CONGRESS-QUORUM through the pages: put to vote on a session, open (quorum),
    deputies vote (the engine), close, adopt."""
    p, projects = b.fixed(world, n=3, m=2)
    session = b.session(world, 3)
    c = signed_in("affairs")
    url = reverse("livelihood:plan", args=[p.pk])
    assert session.title in c.get(url).content.decode()
    assert (
        c.post(reverse("livelihood:plan_put_to_vote", args=[p.pk]), {"meeting": "x"}).status_code
        == 422
    )
    r = c.post(reverse("livelihood:plan_put_to_vote", args=[p.pk]), {"meeting": session.pk})
    assert r.status_code == 302
    assert c.post(reverse("livelihood:plan_adopt", args=[p.pk])).status_code == 409
    assert c.post(reverse("livelihood:plan_ballot", args=[p.pk, "vote", "open"])).status_code == 302
    assert 'data-testid="go-vote"' in signed_in("deputy").get(url).content.decode()
    assert 'data-testid="go-vote"' not in c.get(url).content.decode()
    ballot = Plan.objects.get(pk=p.pk).ballot
    ids = b.choice_ids(ballot)
    for m in session.members.all():
        cast_vote(ballot, voter=m.user, choices=ids[:2])
    assert (
        c.post(reverse("livelihood:plan_ballot", args=[p.pk, "vote", "close"])).status_code == 302
    )
    assert c.post(reverse("livelihood:plan_adopt", args=[p.pk])).status_code == 302
    assert Plan.objects.get(pk=p.pk).state == "chosen"
    assert set(Project.objects.filter(state="chosen").values_list("pk", flat=True)) == {
        projects[0].pk,
        projects[1].pk,
    }
    assert "vote-result" in c.get(url).content.decode()
    assert (
        signed_in("supervisor").post(reverse("livelihood:plan_adopt", args=[p.pk])).status_code
        == 403
    )


def test_office_creates_a_plan_with_the_form(world, signed_in):
    c = signed_in("affairs")
    today = timezone.localdate()
    data = {
        "congress": world.city.pk,
        "year": 2029,
        "title": "2029年民生实事",
        "collect_from": today.isoformat(),
        "collect_until": (today + timedelta(days=30)).isoformat(),
    }
    r = c.post(reverse("livelihood:plans"), data)
    assert r.status_code == 302
    assert Plan.objects.get(year=2029).max_choices == 10
    assert c.post(reverse("livelihood:plans"), data).status_code == 409  # the same year again
    assert c.post(reverse("livelihood:plans"), {**data, "year": "x"}).status_code == 422
    other = {**data, "congress": world.county.pk, "year": 2030}
    assert c.post(reverse("livelihood:plans"), other).status_code == 422  # not their congress


def test_home_panel_lists_the_plans_of_the_persons_congress(world, signed_in):
    p = b.plan(world)
    for username in ("affairs", "supervisor", "edu_clerk"):
        assert p.title in signed_in(username).get("/").content.decode(), username
    # Deputies reach the plans from the header: their home page keeps its query budget.
    for username in ("county_affairs", "station", "nobody", "deputy"):
        assert p.title not in signed_in(username).get("/").content.decode(), username
