"""The handling pages: queue filters (state, "waiting for triage", category, overdue) and paging
that keeps them; refusals come back on the form with the action's status, nothing written."""

from __future__ import annotations

from datetime import date

from renda.opinions.actions.handling import triage
from renda.opinions.choices import OpinionState
from renda.opinions.models import Opinion, OpinionCategory

from .handling_builders import at, opinion


def _rows(response) -> int:
    return response.content.decode().count('data-testid="queue-row"')


def test_queue_filters(world, signed_in):
    received = opinion(world)
    reopened = opinion(world, state=OpinionState.REOPENED)
    closed = opinion(world, state=OpinionState.CLOSED)
    late, in_time = opinion(world), opinion(world)
    with at(date(2026, 9, 28)):
        triage(late, "refer", unit=world.edu.pk, by=world["station"])
    triage(in_time, "refer", unit=world.edu.pk, by=world["station"])
    client = signed_in("station")
    assert _rows(client.get("/opinions/handling/")) == 5
    r = client.get("/opinions/handling/", {"state": "to_triage"})
    html = r.content.decode()
    assert _rows(r) == 2
    assert f"/opinions/handling/{received.pk}/" in html
    assert f"/opinions/handling/{reopened.pk}/" in html
    assert _rows(client.get("/opinions/handling/", {"state": "closed"})) == 1
    r = client.get("/opinions/handling/", {"overdue": "on"})
    assert _rows(r) == 1 and f"/opinions/handling/{late.pk}/" in r.content.decode()
    assert 'data-testid="overdue"' in r.content.decode()
    assert closed.pk  # listed only under its own state
    root = OpinionCategory.objects.get(pk=received.category.parent_id or received.category_id)
    assert _rows(client.get("/opinions/handling/", {"category": root.pk})) == 5
    other = OpinionCategory.objects.filter(parent=None).exclude(pk=root.pk).first()
    assert _rows(client.get("/opinions/handling/", {"category": other.pk})) == 0
    # A bad filter value is ignored, not a 500.
    assert client.get("/opinions/handling/", {"state": "nonsense"}).status_code == 200


def test_paging_keeps_the_filters(world, signed_in):
    for _ in range(27):
        opinion(world)
    client = signed_in("station")
    r = client.get("/opinions/handling/", {"state": "to_triage"})
    assert _rows(r) == 25
    assert "state=to_triage&amp;page=2" in r.content.decode()
    assert _rows(client.get("/opinions/handling/", {"state": "to_triage", "page": 2})) == 2


def test_a_refused_triage_comes_back_on_the_form(world, signed_in):
    op = opinion(world)
    client = signed_in("station")
    r = client.post(f"/opinions/handling/{op.pk}/triage/", {"outcome": "close", "text": " "})
    assert r.status_code == 422
    assert 'data-testid="triage-error"' in r.content.decode()
    assert Opinion.objects.get(pk=op.pk).state == OpinionState.RECEIVED
    r = client.post(f"/opinions/handling/{op.pk}/triage/", {"outcome": "bogus"})
    assert r.status_code == 422
    r = client.post(
        f"/opinions/handling/{op.pk}/triage/", {"outcome": "close", "text": "请向法院咨询。"}
    )
    assert r.status_code == 302
    r = client.post(f"/opinions/handling/{op.pk}/triage/", {"outcome": "close", "text": "再次"})
    assert r.status_code == 409 and "(state: closed)" in r.content.decode()


def test_the_page_offers_only_what_the_state_allows(world, signed_in):
    op = opinion(world, state=OpinionState.REOPENED)
    html = signed_in("station").get(f"/opinions/handling/{op.pk}/").content.decode()
    for code in ("answered", "refer", "close"):
        assert f'data-testid="outcome-{code}"' in html
    for code in ("deputy", "suggestion", "merge", "pass_up"):
        assert f'data-testid="outcome-{code}"' not in html
    fresh = opinion(world)
    html = signed_in("station").get(f"/opinions/handling/{fresh.pk}/").content.decode()
    assert 'data-testid="outcome-pass_up"' not in html  # the city has no higher congress
    assert 'data-testid="outcome-merge"' in html


def test_a_suggestion_made_from_an_opinion_links_back_to_it_for_those_who_may_see_it(
    world, signed_in
):
    """OP-TRIAGE suggestion, linked both ways: the suggestion's page lists the opinion it was
    made from, with a link to its handling page — only for those who may see the opinion."""
    from renda.suggestions.views_deputy import source_opinions

    op = opinion(world, deputy="deputy")
    suggestion = triage(op, "suggestion", by=world["station"]).suggestion
    html = signed_in("deputy").get(f"/suggestions/{suggestion.pk}/").content.decode()
    assert 'data-testid="source-opinions"' in html
    assert f'href="/opinions/handling/{op.pk}/"' in html
    assert signed_in("deputy").get(f"/opinions/handling/{op.pk}/").status_code == 200
    # Someone outside the opinion's scope (a unit's clerk, no referral) gets no link.
    assert source_opinions(world["edu_clerk"], suggestion) == []
    assert source_opinions(world["affairs"], suggestion) == [op]
