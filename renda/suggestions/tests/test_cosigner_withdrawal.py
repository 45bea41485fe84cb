"""Leaving a suggestion before registration (MOTION-COSIGN): the lead deputy removes a
co-signer or withdraws an invitation; a co-signer withdraws their own signature; a submitted
motion left short of co-signers goes back to draft and keeps its number."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import WORLD_USERS
from renda.audit.models import AuditEvent
from renda.errors import DomainError, Forbidden, NotFound
from renda.notifications.models import Notification
from renda.suggestions.actions.registration import register
from renda.suggestions.actions.submission import (
    confirm_cosign,
    invite_cosigners,
    remove_cosigner,
    submit,
    withdraw_cosign,
)
from renda.suggestions.models import NumberCounter, Sponsor, Suggestion
from renda.suggestions.queries import suggestions_visible_to

from .test_submission import drafted, make_deputies, motion_with

# Who sees a submitted suggestion of `deputy` co-signed by `deputy2` (and may not act on it).
OFFICE_SEES = {"admin", "affairs", "committee", "supervisor", "leader"}


def _cosigned_submitted(world) -> Suggestion:
    s = drafted(world, cosigners=[world["deputy2"]])
    confirm_cosign(s, by=world["deputy2"])
    return submit(s, by=world["deputy"])


def _sponsor_ids(s: Suggestion) -> set[int]:
    return set(Sponsor.objects.filter(suggestion=s).values_list("deputy_id", flat=True))


# --- Actions ---------------------------------------------------------------------------------
def test_lead_withdraws_a_pending_invitation_from_a_draft(world):
    """MOTION-COSIGN: until registration the lead deputy decides who is asked to co-sign."""
    s = drafted(world, cosigners=[world["deputy2"]])
    remove_cosigner(s, world["deputy2"], by=world["deputy"])
    assert _sponsor_ids(s) == {world["deputy"].pk}
    event = AuditEvent.objects.get(verb="suggestion.cosigner_removed")
    assert event.data == {"deputy": world["deputy2"].pk, "was": "invited", "back_to_draft": False}
    assert Notification.objects.filter(
        recipient=world["deputy2"], title__startswith="deputy withdrew the invitation"
    ).exists()
    assert not suggestions_visible_to(world["deputy2"]).filter(pk=s.pk).exists()
    invite_cosigners(s, [world["deputy2"]], by=world["deputy"])  # may be asked again
    assert world["deputy2"].pk in _sponsor_ids(s)


def test_lead_removes_a_confirmed_cosigner_of_a_submitted_suggestion(world):
    s = _cosigned_submitted(world)
    s = remove_cosigner(s, world["deputy2"].pk, by=world["deputy"])
    assert s.state == "submitted"
    assert _sponsor_ids(s) == {world["deputy"].pk}
    assert Notification.objects.filter(
        recipient=world["deputy2"], title__startswith="deputy removed you"
    ).exists()


def test_only_the_lead_removes_cosigners(world):
    s = _cosigned_submitted(world)
    for who in ("deputy2", "affairs", "admin"):
        with pytest.raises(Forbidden):
            remove_cosigner(s, world["deputy2"], by=world[who])
    with pytest.raises(NotFound):
        remove_cosigner(s, world["sc_member"], by=world["deputy"])
    with pytest.raises(NotFound):  # the lead is not a co-signer
        remove_cosigner(s, world["deputy"], by=world["deputy"])
    with pytest.raises(NotFound):
        remove_cosigner(s, 2**70, by=world["deputy"])
    assert _sponsor_ids(s) == {world["deputy"].pk, world["deputy2"].pk}


def test_cosigner_withdraws_and_the_lead_is_told(world):
    s = _cosigned_submitted(world)
    s = withdraw_cosign(s, by=world["deputy2"])
    assert s.state == "submitted" and _sponsor_ids(s) == {world["deputy"].pk}
    assert Notification.objects.filter(
        recipient=world["deputy"], title__startswith="deputy2 withdrew their co-signature"
    ).exists()
    assert AuditEvent.objects.filter(verb="suggestion.cosign_withdrawn").count() == 1
    assert not suggestions_visible_to(world["deputy2"]).filter(pk=s.pk).exists()


def test_withdrawing_needs_a_confirmed_signature_of_ones_own(world):
    s = drafted(world, cosigners=[world["deputy2"]])
    with pytest.raises(DomainError) as refused:
        withdraw_cosign(s, by=world["deputy2"])  # not confirmed: answer the invitation
    assert refused.value.code == "not_cosigned"
    for who in ("deputy", "sc_member"):
        with pytest.raises(Forbidden):
            withdraw_cosign(s, by=world[who])
    assert len(_sponsor_ids(s)) == 2


def test_no_removal_or_withdrawal_after_registration(world):
    """MOTION-COSIGN: the window closes when the office registers the suggestion."""
    s = register(_cosigned_submitted(world), by=world["affairs"])
    with pytest.raises(DomainError) as removal:
        remove_cosigner(s, world["deputy2"], by=world["deputy"])
    with pytest.raises(DomainError) as withdrawal:
        withdraw_cosign(s, by=world["deputy2"])
    for refused in (removal, withdrawal):
        assert refused.value.code == "wrong_state" and "(state: registered)" in str(refused.value)
    assert len(_sponsor_ids(s)) == 2


def test_a_submitted_motion_left_short_goes_back_to_draft_and_keeps_its_number(world):
    """MOTION-COSIGN: a motion below the legal number of co-signers must not stay submitted: it
    returns to draft (the office no longer has it), the lead and office are told; found another
    co-signer, it is submitted again under the same number."""
    motion = submit(motion_with(world, confirmed=10), by=world["deputy"])
    number = motion.number
    leaving = Sponsor.objects.filter(suggestion=motion, role="cosigner").first().deputy
    motion = withdraw_cosign(motion, by=leaving)
    assert motion.state == "draft" and motion.number == number
    assert not suggestions_visible_to(world["affairs"]).filter(pk=motion.pk).exists()
    for who in ("deputy", "affairs"):
        assert Notification.objects.filter(
            recipient=world[who], title__startswith=f"Motion {number} is back to draft: 9 of 10"
        ).exists()
    event = AuditEvent.objects.get(verb="suggestion.back_to_draft")
    assert event.data == {"number": number, "confirmed_cosigners": 9, "needed": 10}
    assert AuditEvent.objects.get(verb="suggestion.cosign_withdrawn").data["back_to_draft"]
    counters = list(NumberCounter.objects.values_list("scope", "last"))
    newcomer = make_deputies(world.city, 1, "late")[0]
    invite_cosigners(motion, [newcomer], by=world["deputy"])
    confirm_cosign(motion, by=newcomer)
    motion = submit(motion, by=world["deputy"])
    assert motion.state == "submitted" and motion.number == number
    assert list(NumberCounter.objects.values_list("scope", "last")) == counters


def test_a_motion_with_cosigners_to_spare_stays_submitted(world):
    motion = submit(motion_with(world, confirmed=11), by=world["deputy"])
    leaving = Sponsor.objects.filter(suggestion=motion, role="cosigner").first().deputy
    assert withdraw_cosign(motion, by=leaving).state == "submitted"


def test_the_lead_removing_a_cosigner_also_sends_a_short_motion_back(world):
    motion = submit(motion_with(world, confirmed=10, pending=1), by=world["deputy"])
    pending = Sponsor.objects.get(suggestion=motion, confirmed_at__isnull=True).deputy
    assert remove_cosigner(motion, pending, by=world["deputy"]).state == "submitted"
    confirmed = Sponsor.objects.filter(suggestion=motion, confirmed_at__isnull=False)
    leaving = confirmed.exclude(deputy=world["deputy"]).first().deputy
    assert remove_cosigner(motion, leaving, by=world["deputy"]).state == "draft"


# --- API ---------------------------------------------------------------------------------------
def _delete(client, path):
    return client.client.delete(f"/api/v1{path}", headers=client._headers())


@pytest.mark.parametrize("username", WORLD_USERS)
def test_api_remove_cosigner_permission_per_role(api, world, username):
    """DELETE /api/v1/suggestions/{id}/cosigners/{deputy_id}: the lead deputy only; others
    who see the suggestion 403, the rest 404."""
    s = _cosigned_submitted(world)
    response = _delete(api(username), f"/suggestions/{s.pk}/cosigners/{world['deputy2'].pk}")
    if username == "deputy":
        assert response.status_code == 200
        assert response.json() == {"id": s.pk, "number": s.number, "kind": "suggestion",
                                   "state": "submitted"}  # fmt: skip
        assert _sponsor_ids(s) == {world["deputy"].pk}
        return
    expected = 403 if username in OFFICE_SEES | {"deputy2"} else 404
    assert response.status_code == expected
    assert len(_sponsor_ids(s)) == 2


@pytest.mark.parametrize("username", WORLD_USERS)
def test_api_withdraw_cosign_permission_per_role(api, world, username):
    """POST /api/v1/suggestions/{id}/cosign/withdraw: the co-signer only."""
    s = _cosigned_submitted(world)
    response = api(username).post(f"/suggestions/{s.pk}/cosign/withdraw")
    if username == "deputy2":
        assert response.status_code == 200 and response.json()["state"] == "submitted"
        assert _sponsor_ids(s) == {world["deputy"].pk}
        return
    expected = 403 if username in OFFICE_SEES | {"deputy"} else 404
    assert response.status_code == expected
    assert len(_sponsor_ids(s)) == 2


def test_api_errors_are_clear(api, world):
    s = _cosigned_submitted(world)
    lead = api("deputy")
    assert _delete(lead, f"/suggestions/{s.pk}/cosigners/{world['sc_member'].pk}").status_code == (
        404
    )
    assert _delete(lead, f"/suggestions/{s.pk}/cosigners/{2**70}").status_code == 404
    assert _delete(api(), f"/suggestions/{s.pk}/cosigners/{world['deputy2'].pk}").status_code == (
        401
    )
    register(s, by=world["affairs"])
    late = api("deputy2").post(f"/suggestions/{s.pk}/cosign/withdraw")
    assert late.status_code == 409 and "(state: registered)" in late.json()["detail"]


def test_api_withdrawal_that_leaves_a_motion_short_answers_draft(api, world):
    motion = submit(motion_with(world, confirmed=10), by=world["deputy"])
    leaving = Sponsor.objects.filter(suggestion=motion, role="cosigner").first().deputy
    response = _delete(api("deputy"), f"/suggestions/{motion.pk}/cosigners/{leaving.pk}")
    assert response.status_code == 200
    assert response.json()["state"] == "draft" and response.json()["number"] == motion.number


# --- HTML --------------------------------------------------------------------------------------
@pytest.mark.parametrize("username", WORLD_USERS)
def test_html_remove_cosigner_per_role(signed_in, world, username):
    s = _cosigned_submitted(world)
    url = reverse("suggestions:cosigner_remove", args=[s.pk, world["deputy2"].pk])
    response = signed_in(username).post(url)
    if username in OFFICE_SEES | {"deputy", "deputy2"}:
        assert response.status_code == 302  # done, or refused with a message
    else:
        assert response.status_code == 404
    removed = world["deputy2"].pk not in _sponsor_ids(s)
    assert removed == (username == "deputy")


def test_detail_page_offers_remove_to_the_lead_and_withdraw_to_the_cosigner(signed_in, world):
    s = _cosigned_submitted(world)
    url = reverse("suggestions:detail", args=[s.pk])
    lead_page = signed_in("deputy").get(url).content.decode()
    assert 'data-testid="remove-cosigner"' in lead_page
    assert 'data-testid="withdraw-signature"' not in lead_page
    cosigner_page = signed_in("deputy2").get(url).content.decode()
    assert 'data-testid="withdraw-signature"' in cosigner_page
    assert 'data-testid="remove-cosigner"' not in cosigner_page
    office_page = signed_in("affairs").get(url).content.decode()
    assert "remove-cosigner" not in office_page and "withdraw-signature" not in office_page
    response = signed_in("deputy2").post(reverse("suggestions:cosign", args=[s.pk, "withdraw"]))
    assert response.status_code == 302
    assert _sponsor_ids(s) == {world["deputy"].pk}
    register_url = reverse("suggestions:detail", args=[s.pk])
    register(s, by=world["affairs"])
    assert "remove-cosigner" not in signed_in("deputy").get(register_url).content.decode()


def test_write_page_removes_an_invitation_and_returns_to_the_draft(signed_in, world):
    s = drafted(world, cosigners=[world["deputy2"]])
    page = signed_in("deputy").get(reverse("suggestions:edit", args=[s.pk])).content.decode()
    assert 'data-testid="remove-cosigner"' in page
    response = signed_in("deputy").post(
        reverse("suggestions:cosigner_remove", args=[s.pk, world["deputy2"].pk]),
        {"back": "edit", "title": "ignored"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("suggestions:edit", args=[s.pk])
    assert _sponsor_ids(s) == {world["deputy"].pk}
    assert Suggestion.objects.get(pk=s.pk).title != "ignored"
