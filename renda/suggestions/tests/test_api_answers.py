"""API: answers, evaluations, commitments met, key suggestions, progress reports — each
endpoint × each role of the world, bad input (422), wrong state (409), unknown ids (404), and
two clerks answering at once."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.db import connection, connections

from conftest import WORLD_USERS
from renda.suggestions.actions.key import mark_key
from renda.suggestions.models import Answer, Commitment, Evaluation, KeySuggestion, ProgressReport

from .answer_builders import answered, at, give_answer, handled

MARCH_2 = date(2026, 3, 2)
# The suggestion: lead deputy `deputy`, lead unit edu, co-unit transport (city congress).
SEES_NOT = {"deputy2", "station", "sc_member", "county_affairs", "nobody"}


def _expect(allowed: set[str], ok: int):
    return [(u, ok if u in allowed else 404 if u in SEES_NOT else 403) for u in WORLD_USERS]


@pytest.fixture
def sug(world):
    with at(MARCH_2):
        return handled(world, cos=("transport",))


def _answer_body(world, **extra):
    return {"unit": world.edu.pk, "category": "A", "text": "已采纳。", **extra}


# --- permission matrices ----------------------------------------------------------------------
@pytest.mark.parametrize(("user", "status"), _expect({"edu_clerk", "edu_head"}, 201))
def test_answer_permission_matrix(world, api, sug, user, status):
    with at(MARCH_2):
        r = api(user).post(f"/suggestions/{sug.pk}/answers", _answer_body(world))
    assert r.status_code == status, r.content
    assert Answer.objects.count() == (1 if status == 201 else 0)
    if status == 201:
        body = r.json()
        assert body["state"] == "answered" and body["round"] == 1
        assert body["feedback_due"] == "2026-03-23" and body["late"] is False


@pytest.mark.parametrize(("user", "status"), _expect({"deputy"}, 201))
def test_evaluation_permission_matrix(world, api, user, status):
    with at(MARCH_2):
        s = answered(world, cos=("transport",))
        r = api(user).post(
            f"/suggestions/{s.pk}/evaluations", {"unit": world.edu.pk, "rating": "dissatisfied"}
        )
    assert r.status_code == status, r.content
    if status == 201:
        body = r.json()
        assert body["state"] == "rehandling" and body["rehandle_due"] == "2026-04-02"
    else:
        assert not Evaluation.objects.exists()


@pytest.mark.parametrize(("user", "status"), _expect({"edu_clerk", "edu_head"}, 200))
def test_commitment_met_permission_matrix(world, api, user, status):
    with at(MARCH_2):
        s = handled(world, cos=("transport",))
        give_answer(world, s, category="B")
    c = Commitment.objects.get()
    r = api(user).post(f"/commitments/{c.pk}/met", {"evidence": "已开通。"})
    assert r.status_code == status, r.content
    c.refresh_from_db()
    assert (c.met_at is not None) == (status == 200)


@pytest.mark.parametrize(("user", "status"), _expect({"affairs", "admin"}, 201))
def test_key_permission_matrix(world, api, sug, user, status):
    r = api(user).post(
        f"/suggestions/{sug.pk}/key", {"supervisor": world["leader"].pk, "committee": "教科文卫委"}
    )
    assert r.status_code == status, r.content
    assert KeySuggestion.objects.exists() == (status == 201)
    if status == 201:
        assert r.json()["supervisor"] == world["leader"].pk


@pytest.mark.parametrize(("user", "status"), _expect({"edu_clerk", "edu_head"}, 201))
def test_progress_report_permission_matrix(world, api, sug, user, status):
    mark_key(sug, committee="教科文卫委", by=world["affairs"])
    r = api(user).post(
        f"/suggestions/{sug.pk}/progress-reports", {"unit": world.edu.pk, "text": "调研完成。"}
    )
    assert r.status_code == status, r.content
    assert ProgressReport.objects.exists() == (status == 201)


@pytest.mark.parametrize(
    "path",
    [
        "/suggestions/{s}/answers",
        "/suggestions/{s}/evaluations",
        "/suggestions/{s}/key",
        "/suggestions/{s}/progress-reports",
        "/commitments/1/met",
    ],
)
def test_anonymous_gets_401(world, api, sug, path):
    assert api().post(path.format(s=sug.pk), {}).status_code == 401


# --- bad input ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"category": "E"}, "category"),
        ({"text": ""}, "text"),
        ({"text": "长" * 100_000}, "text"),
        ({"text": 5}, "text"),
        ({"unit": "edu"}, "unit"),
        ({"unit": 999_999}, "unit"),
        ({"unit": -1}, "unit"),
        ({"category": "B"}, "plan"),
        ({"category": "B", "plan": "计划", "planned_date": "2026-13-01"}, "planned_date"),
        ({"category": "B", "plan": "计划", "planned_date": "2025-01-01"}, "planned_date"),
        ({"category": "C"}, "reason"),
        ({"public": False}, "not_public_reason"),
        ({"public": "no"}, "public"),
        (
            {
                "category": "B",
                "plan": "p",
                "planned_date": "2026-09-01",
                "commitments": [{"text": "x", "due": "2200-01-01"}],
            },
            "commitments",
        ),
        (
            {
                "category": "B",
                "plan": "p",
                "planned_date": "2026-09-01",
                "commitments": [{"text": "", "due": "2026-09-01"}],
            },
            "commitments",
        ),
        ({"commitments": "x"}, "commitments"),
    ],
)
def test_bad_answers_get_422_naming_the_field(world, api, sug, extra, field):
    with at(MARCH_2):
        r = api("edu_clerk").post(f"/suggestions/{sug.pk}/answers", _answer_body(world, **extra))
    assert r.status_code == 422, r.content
    assert field in r.json()["detail"]
    assert not Answer.objects.exists() and not Commitment.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"rating": "no_feedback"}, "rating"),
        ({"rating": "great"}, "rating"),
        ({"rating": "satisfied", "comment": "长" * 40_001}, "comment"),
        ({"rating": "satisfied", "unit": 999_999}, "unit"),
        ({}, "rating"),
    ],
)
def test_bad_evaluations_get_422(world, api, body, field):
    with at(MARCH_2):
        s = answered(world)
        r = api("deputy").post(f"/suggestions/{s.pk}/evaluations", {"unit": world.edu.pk, **body})
    assert r.status_code == 422, r.content
    assert field in r.json()["detail"]
    assert not Evaluation.objects.exists()


def test_bad_key_and_progress_and_met_inputs_get_422(world, api, sug):
    a = api("affairs")
    assert a.post(f"/suggestions/{sug.pk}/key", {}).status_code == 422
    r = a.post(f"/suggestions/{sug.pk}/key", {"supervisor": 999_999})
    assert r.status_code == 422 and "supervisor" in r.json()["detail"]
    r = a.post(f"/suggestions/{sug.pk}/key", {"supervisor": world["deputy"].pk})
    assert r.status_code == 422 and "supervisor" in r.json()["detail"]
    r = a.post(f"/suggestions/{sug.pk}/key", {"committee": "财经委", "year": "2026x"})
    assert r.status_code == 422 and "year" in r.json()["detail"]
    mark_key(sug, committee="财经委", by=world["affairs"])
    r = api("edu_clerk").post(f"/suggestions/{sug.pk}/progress-reports", {"unit": world.edu.pk})
    assert r.status_code == 422 and "text" in r.json()["detail"]
    with at(MARCH_2):
        give_answer(world, sug, category="B")
    c = Commitment.objects.get()
    r = api("edu_clerk").post(f"/commitments/{c.pk}/met", {"evidence": "   "})
    assert r.status_code == 422 and "evidence" in r.json()["detail"]
    assert not ProgressReport.objects.exists()
    assert Commitment.objects.get().met_at is None


# --- 404, 409 -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "path",
    [
        "/suggestions/999999/answers",
        "/suggestions/999999/evaluations",
        "/suggestions/999999/key",
        "/suggestions/999999/progress-reports",
        "/commitments/999999/met",
        "/suggestions/99999999999999999999/answers",
    ],
)
def test_unknown_ids_are_404(world, api, path):
    r = api("admin").post(
        path,
        {
            "unit": 1,
            "category": "A",
            "text": "x",
            "rating": "satisfied",
            "evidence": "x",
            "committee": "c",
        },
    )
    assert r.status_code == 404


def test_wrong_state_is_409_naming_the_state(world, api, sug):
    with at(MARCH_2):
        r = api("deputy").post(
            f"/suggestions/{sug.pk}/evaluations", {"unit": world.edu.pk, "rating": "satisfied"}
        )
        assert r.status_code == 409 and r.json()["error"] == "not_answered"
        api("edu_clerk").post(f"/suggestions/{sug.pk}/answers", _answer_body(world))
        r = api("edu_clerk").post(f"/suggestions/{sug.pk}/answers", _answer_body(world))
    assert r.status_code == 409
    assert "state: answered" in r.json()["detail"]
    r = api("edu_clerk").post(
        f"/suggestions/{sug.pk}/progress-reports", {"unit": world.edu.pk, "text": "x"}
    )
    assert r.status_code == 409 and r.json()["error"] == "not_key"


def test_answer_without_the_heads_sign_off_is_409(world, api):
    with at(MARCH_2):
        s = handled(world, sign=False)
        r = api("edu_clerk").post(f"/suggestions/{s.pk}/answers", _answer_body(world))
    assert r.status_code == 409 and r.json()["error"] == "not_signed_off"


def test_html_in_an_answer_comes_back_as_the_same_text(world, api, sug):
    with at(MARCH_2):
        r = api("edu_clerk").post(
            f"/suggestions/{sug.pk}/answers",
            _answer_body(
                world,
                category="B",
                plan="<b>计划</b>",
                planned_date="2026-09-01",
                commitments=[{"text": "<script>x</script>", "due": "2026-08-01"}],
            ),
        )
    assert r.status_code == 201, r.content
    assert r.json()["commitments"][0]["text"] == "<script>x</script>"
    assert r["Content-Type"].startswith("application/json")


# --- concurrency --------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_two_clerks_answering_at_once_one_wins_the_other_gets_409(world, api):
    """Two people of the unit send the answer at the same moment: one answer, one 409."""
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:"):
        pytest.skip("the in-memory SQLite test database serialises threads on one shared cache")
    with at(MARCH_2):
        s = handled(world)
    clients = [api("edu_clerk"), api("edu_head")]
    statuses, errors = [], []
    barrier = threading.Barrier(2)

    def work(client) -> None:
        try:
            barrier.wait()
            r = client.post(f"/suggestions/{s.pk}/answers", _answer_body(world))
            statuses.append(r.status_code)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(statuses) == [201, 409]
    assert Answer.objects.count() == 1
