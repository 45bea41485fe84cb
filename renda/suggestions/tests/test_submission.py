"""Drafts, co-signing, submission and numbering (MOTION-COSIGN; numbers never repeat)."""

from __future__ import annotations

import itertools
import threading
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import override_settings

from conftest import make_user
from renda.accounts.models import RoleAssignment
from renda.audit.models import AuditEvent
from renda.errors import DomainError, Forbidden, InvalidInput
from renda.notifications.models import Notification
from renda.orgs.models import Congress, Session, Term
from renda.suggestions.actions.submission import (
    confirm_cosign,
    create_draft,
    decline_cosign,
    invite_cosigners,
    submit,
    update_draft,
)
from renda.suggestions.choices import Kind, SponsorRole, State
from renda.suggestions.models import NumberCounter, Sponsor, Suggestion, Topic

SHANGHAI = ZoneInfo("Asia/Shanghai")
# The world's session 5 of term 14 runs 2026-02-10 .. 2026-02-14; these days are outside it.
BETWEEN_SESSIONS = datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI)
IN_SESSION = datetime(2026, 2, 11, 10, 0, tzinfo=SHANGHAI)


# --- Helpers (imported by the other test modules of this phase) ---------------------------------
_SERIAL = itertools.count(1)


def make_deputies(congress, n: int, prefix: str = "dep"):
    """n extra deputies of `congress` (the world has only deputy, deputy2 and sc_member)."""
    users = []
    for _i in range(n):
        user = make_user(f"{prefix}{next(_SERIAL)}")
        RoleAssignment.objects.create(user=user, role="deputy", congress=congress)
        users.append(user)
    return users


def township(world):
    """A township congress under the world's county (MOTION-COSIGN: 5 co-signers)."""
    return Congress.objects.create(
        name="示范镇人民代表大会",
        level="township",
        region_name="示范镇",
        division_code="330302001",
        parent=world.county,
    )


def drafted(world, *, by="deputy", kind=Kind.SUGGESTION, cosigners=(), congress=None, **kw):
    lead = world[by] if isinstance(by, str) else by
    return create_draft(
        congress or world.city,
        by=lead,
        kind=kind,
        title=kw.pop("title", "关于改善学校周边交通的建议"),
        body=kw.pop("body", "学校周边上下学时段拥堵，建议增设临时停车区。"),
        cosigners=list(cosigners),
        **kw,
    )


def motion_with(world, *, confirmed: int, pending: int = 0, congress=None, lead=None):
    """A draft motion with `confirmed` confirmed and `pending` unconfirmed co-signers."""
    congress = congress or world.city
    if lead is None:
        lead = world["deputy"] if congress == world.city else make_deputies(congress, 1, "lead")[0]
    others = make_deputies(congress, confirmed + pending, prefix="cosigner")
    motion = drafted(world, by=lead, kind=Kind.MOTION, cosigners=others, congress=congress)
    for user in others[:confirmed]:
        confirm_cosign(motion, by=user)
    return motion


def submitted(world, **kw):
    s = drafted(world, **kw)
    return submit(s, by=s.lead_deputy)


# --- Drafts -------------------------------------------------------------------------------------
def test_draft_makes_the_creator_the_confirmed_lead_and_invites_cosigners(world):
    s = drafted(world, cosigners=[world["deputy2"], world["sc_member"]])
    assert s.state == State.DRAFT and s.number == ""
    lead = Sponsor.objects.get(suggestion=s, role=SponsorRole.LEAD)
    assert lead.deputy == world["deputy"] and lead.confirmed_at is not None
    invited = Sponsor.objects.filter(suggestion=s, role=SponsorRole.COSIGNER)
    assert {sp.deputy.username for sp in invited} == {"deputy2", "sc_member"}
    assert all(sp.confirmed_at is None for sp in invited)
    for name in ("deputy2", "sc_member"):
        assert Notification.objects.filter(recipient=world[name], url=f"/suggestions/{s.pk}/")
    assert AuditEvent.objects.filter(verb="suggestion.drafted", object_id=str(s.pk)).exists()


@pytest.mark.parametrize(
    "username", ["affairs", "edu_clerk", "committee", "admin", "station", "nobody"]
)
def test_only_deputies_of_the_congress_write(world, username):
    with pytest.raises(Forbidden):
        drafted(world, by=username)
    assert not Suggestion.objects.exists()


def test_a_deputy_of_another_congress_cannot_write_here(world):
    county_deputy = make_deputies(world.county, 1)[0]
    with pytest.raises(Forbidden):
        drafted(world, by=county_deputy)


@pytest.mark.parametrize("case", ["not_a_deputy", "other_congress", "the_lead", "duplicate"])
def test_cosigners_must_be_other_deputies_of_the_same_congress_named_once(world, case):
    cosigners = {
        "not_a_deputy": [world["edu_clerk"]],
        "other_congress": make_deputies(world.county, 1) if case == "other_congress" else [],
        "the_lead": [world["deputy"]],
        "duplicate": [world["deputy2"], world["deputy2"]],
    }[case]
    with pytest.raises(InvalidInput, match="cosigners"):
        drafted(world, cosigners=cosigners)
    assert not Suggestion.objects.exists()
    assert not Sponsor.objects.exists()


def test_autosave_is_idempotent(world):
    s = drafted(world)
    events = AuditEvent.objects.count()
    update_draft(s, by=world["deputy"], title=s.title, body=s.body)
    assert AuditEvent.objects.count() == events  # the same values: nothing written
    update_draft(s, by=world["deputy"], body="新的正文")
    update_draft(s, by=world["deputy"], body="新的正文")
    s.refresh_from_db()
    assert s.body == "新的正文"
    saved = AuditEvent.objects.filter(verb="suggestion.draft_saved")
    assert saved.count() == 1 and saved.get().data == {"fields": ["body"]}


def test_autosave_sets_and_clears_the_topic_of_the_congress_only(world):
    s = drafted(world)
    topic = Topic.objects.create(congress=world.city, name="教育")
    other = Topic.objects.create(congress=world.county, name="交通")
    update_draft(s, by=world["deputy"], topic=topic.pk)
    assert Suggestion.objects.get(pk=s.pk).topic == topic
    with pytest.raises(InvalidInput, match="topic"):
        update_draft(s, by=world["deputy"], topic=other.pk)
    update_draft(s, by=world["deputy"], topic=None)
    assert Suggestion.objects.get(pk=s.pk).topic is None


def test_only_the_lead_edits_a_draft_and_only_while_a_draft(world):
    s = drafted(world, cosigners=[world["deputy2"]])
    with pytest.raises(Forbidden):
        update_draft(s, by=world["deputy2"], title="别人的修改")
    submit(s, by=world["deputy"])
    with pytest.raises(DomainError, match="submitted"):
        update_draft(s, by=world["deputy"], title="提交后的修改")


def test_more_cosigners_can_be_invited_to_a_draft_but_not_twice(world):
    s = drafted(world, cosigners=[world["deputy2"]])
    invite_cosigners(s, [world["sc_member"]], by=world["deputy"])
    assert s.sponsors.count() == 3
    with pytest.raises(InvalidInput, match="already invited"):
        invite_cosigners(s, [world["deputy2"]], by=world["deputy"])
    with pytest.raises(Forbidden):
        invite_cosigners(s, [world["sc_member"]], by=world["deputy2"])


# --- Co-signing ---------------------------------------------------------------------------------
def test_cosigner_confirms_in_their_own_account_and_the_lead_is_told(world):
    s = drafted(world, cosigners=[world["deputy2"]])
    sponsor = confirm_cosign(s, by=world["deputy2"])
    assert sponsor.confirmed_at is not None
    assert Notification.objects.filter(recipient=world["deputy"], title__contains="co-signed")
    with pytest.raises(DomainError, match="already confirmed"):
        confirm_cosign(s, by=world["deputy2"])
    with pytest.raises(DomainError, match="already confirmed"):
        decline_cosign(s, by=world["deputy2"])


def test_only_the_invited_cosigner_answers_the_invitation(world):
    s = drafted(world, cosigners=[world["deputy2"]])
    for name in ("deputy", "sc_member", "affairs"):
        with pytest.raises(Forbidden):
            confirm_cosign(s, by=world[name])
        with pytest.raises(Forbidden):
            decline_cosign(s, by=world[name])


def test_declining_is_final_and_hides_the_draft(world):
    from renda.suggestions.queries import suggestions_visible_to

    s = drafted(world, cosigners=[world["deputy2"]])
    assert suggestions_visible_to(world["deputy2"]).filter(pk=s.pk).exists()
    decline_cosign(s, by=world["deputy2"])
    assert not suggestions_visible_to(world["deputy2"]).filter(pk=s.pk).exists()
    with pytest.raises(DomainError, match="already declined"):
        confirm_cosign(s, by=world["deputy2"])


def test_cosigning_closes_at_registration(world):
    from renda.suggestions.actions.registration import register

    s = submitted(world, cosigners=[world["deputy2"]])
    register(s, by=world["affairs"])
    with pytest.raises(DomainError, match="registered"):
        confirm_cosign(s, by=world["deputy2"])


# --- Submission ---------------------------------------------------------------------------------
def test_submit_numbers_it_notifies_the_office_and_audits(world):
    with time_machine.travel(BETWEEN_SESSIONS, tick=False):
        s = submitted(world)
    assert s.state == State.SUBMITTED and s.submitted_at is not None
    assert (s.number, s.year, s.sequence, s.session) == ("2026-0001", 2026, 1, None)
    assert Notification.objects.filter(recipient=world["affairs"], title__contains="2026-0001")
    assert not Notification.objects.filter(recipient=world["county_affairs"])
    event = AuditEvent.objects.get(verb="suggestion.submitted", object_id=str(s.pk))
    assert event.data["number"] == "2026-0001"


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("title", "", "title: A title is required"),
        ("title", "   \n\t ", "title: A title is required"),
        ("title", "题" * 201, "title: at most 200"),
        ("title", "a\x00b", "title: must not contain NUL"),
        ("body", "", "body: The text is required"),
        ("body", "字" * 100_000, "body: at most 50000"),
    ],
)
def test_submit_refuses_bad_title_or_text(world, field, value, message):
    if field == "title":
        with pytest.raises(InvalidInput, match=message):
            drafted(world, title=value)
        return
    if value:
        with pytest.raises(InvalidInput, match=message):
            drafted(world, body=value)
        return
    s = drafted(world, body=value)  # a draft may have no text yet...
    with pytest.raises(InvalidInput, match=message):
        submit(s, by=world["deputy"])  # ...a submission may not
    assert Suggestion.objects.get(pk=s.pk).state == State.DRAFT


def test_boundaries_200_character_title_and_50000_character_text_are_accepted(world):
    s = submitted(world, title="题" * 200, body="字" * 50_000)
    assert len(s.title) == 200 and len(s.body) == 50_000


def test_html_is_kept_as_text(world):
    title = '<script>alert("x")</script> 标题'
    s = submitted(world, title=title, body="<b>粗体</b> & <i>")
    s.refresh_from_db()
    assert s.title == title and s.body == "<b>粗体</b> & <i>"


def test_submitting_twice_is_a_conflict_naming_the_state(world):
    s = submitted(world)
    with pytest.raises(DomainError, match="submitted") as exc:
        submit(s, by=world["deputy"])
    assert exc.value.status == 409
    assert Suggestion.objects.get(pk=s.pk).sequence == 1


def test_only_the_lead_submits(world):
    s = drafted(world, cosigners=[world["deputy2"]])
    with pytest.raises(Forbidden):
        submit(s, by=world["deputy2"])


def test_a_lead_who_is_no_longer_a_deputy_cannot_submit(world):
    s = drafted(world)
    RoleAssignment.objects.filter(user=world["deputy"], role="deputy").delete()
    world["deputy"]._renda_roles = None
    with pytest.raises(Forbidden):
        submit(s, by=world["deputy"])


# --- MOTION-COSIGN ------------------------------------------------------------------------------
def test_motion_cosign_city_nine_confirmed_refused_saying_one_more(world):
    """MOTION-COSIGN: 10 co-signers at county level and above; 9 is one short."""
    motion = motion_with(world, confirmed=9)
    with pytest.raises(InvalidInput, match="at least 10 .* it has 9: 1 more is needed") as exc:
        submit(motion, by=world["deputy"])
    assert exc.value.status == 422
    assert Suggestion.objects.get(pk=motion.pk).state == State.DRAFT
    assert not NumberCounter.objects.exists()


def test_motion_cosign_city_ten_confirmed_submits(world):
    """MOTION-COSIGN: exactly 10 confirmed co-signers is enough at city level."""
    with time_machine.travel(BETWEEN_SESSIONS, tick=False):
        motion = submit(motion_with(world, confirmed=10), by=world["deputy"])
    assert motion.state == State.SUBMITTED and motion.number == "议案2026-0001"


def test_motion_cosign_county_boundary_nine_and_ten(world):
    """MOTION-COSIGN: a county congress needs 10 as well."""
    short = motion_with(world, confirmed=9, congress=world.county)
    with pytest.raises(InvalidInput, match="1 more is needed"):
        submit(short, by=short.lead_deputy)
    enough = motion_with(world, confirmed=10, congress=world.county)
    assert submit(enough, by=enough.lead_deputy).state == State.SUBMITTED


def test_motion_cosign_township_boundary_four_and_five(world):
    """MOTION-COSIGN: a township congress needs 5."""
    town = township(world)
    short = motion_with(world, confirmed=4, congress=town)
    with pytest.raises(InvalidInput, match="at least 5 .* it has 4: 1 more"):
        submit(short, by=short.lead_deputy)
    enough = motion_with(world, confirmed=5, congress=town)
    assert submit(enough, by=enough.lead_deputy).state == State.SUBMITTED


def test_motion_cosign_unconfirmed_and_declined_cosigners_do_not_count(world):
    """MOTION-COSIGN: only confirmed co-signers count; invited and declined ones do not."""
    motion = motion_with(world, confirmed=7, pending=5)
    pending = list(motion.sponsors.filter(confirmed_at__isnull=True, role=SponsorRole.COSIGNER))
    decline_cosign(motion, by=pending[0].deputy)
    with pytest.raises(InvalidInput, match="it has 7: 3 more are needed"):
        submit(motion, by=world["deputy"])
    for sp in pending[1:4]:
        confirm_cosign(motion, by=sp.deputy)
    assert submit(motion, by=world["deputy"]).state == State.SUBMITTED


def test_a_suggestion_needs_no_cosigners(world):
    """MOTION-COSIGN applies to motions only."""
    assert submitted(world).state == State.SUBMITTED


# --- Numbering ----------------------------------------------------------------------------------
def test_numbered_per_year_between_sessions_with_separate_sequences_per_kind(world):
    with time_machine.travel(BETWEEN_SESSIONS, tick=False):
        first = submitted(world)
        second = submitted(world, by="deputy2")
        motion = submit(motion_with(world, confirmed=10), by=world["deputy"])
    assert [first.number, second.number] == ["2026-0001", "2026-0002"]
    assert motion.number == "议案2026-0001"
    with time_machine.travel(datetime(2027, 1, 5, 9, tzinfo=SHANGHAI), tick=False):
        next_year = submitted(world)
    assert (next_year.number, next_year.year) == ("2027-0001", 2027)


def test_numbered_per_session_during_a_session(world):
    with time_machine.travel(IN_SESSION, tick=False):
        a = submitted(world)
        b = submitted(world, by="deputy2")
    assert [a.number, b.number] == ["14届5次-0001", "14届5次-0002"]
    assert a.session == world.session and a.sequence == 1
    with time_machine.travel(datetime(2026, 2, 15, 9, tzinfo=SHANGHAI), tick=False):
        after = submitted(world)  # the day after the session closed: the year's sequence
    assert after.number == "2026-0001" and after.session is None


def test_session_day_boundaries_are_the_local_dates(world):
    # 2026-02-14 23:30 in Beijing is 15:30 UTC: still the last day of the session.
    with time_machine.travel(datetime(2026, 2, 14, 23, 30, tzinfo=SHANGHAI), tick=False):
        last_day = submitted(world)
    # 2026-02-10 00:10 in Beijing is still 2026-02-09 in UTC: already the first day.
    with time_machine.travel(datetime(2026, 2, 10, 0, 10, tzinfo=SHANGHAI), tick=False):
        first_day = submitted(world)
    assert last_day.session == world.session and first_day.session == world.session


def test_another_congress_in_session_does_not_number_this_one_by_session(world):
    term = Term.objects.create(congress=world.county, number=9, start_date=date(2022, 1, 1))
    Session.objects.create(
        term=term, number=3, start_date=date(2026, 11, 20), end_date=date(2026, 11, 25)
    )
    with time_machine.travel(BETWEEN_SESSIONS, tick=False):
        s = submitted(world)
    assert s.number == "2026-0001"


def test_a_session_of_an_ended_term_is_not_current(world):
    world.term.end_date = date(2026, 2, 12)
    world.term.save()
    with time_machine.travel(datetime(2026, 2, 13, 9, tzinfo=SHANGHAI), tick=False):
        s = submitted(world)
    assert s.session is None and s.number == "2026-0001"


@override_settings(
    RENDA_SUGGESTION_NUMBER_FORMAT={
        "suggestion.year": "{congress}-{year}-{seq:05d}",
        "suggestion.session": "第{term}届第{session}次会议第{seq}号",
    }
)
def test_the_number_format_is_a_setting(world):
    with time_machine.travel(BETWEEN_SESSIONS, tick=False):
        assert submitted(world).number == "330300-2026-00001"
    with time_machine.travel(IN_SESSION, tick=False):
        assert submitted(world).number == "第14届第5次会议第1号"


def _submit_concurrently(drafts, users):
    barrier = threading.Barrier(len(drafts))
    errors: list[BaseException] = []

    def work(s, user):
        try:
            barrier.wait(timeout=20)
            submit(s, by=user)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=work, args=(s, u)) for s, u in zip(drafts, users, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return errors


@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_submissions_get_ten_distinct_consecutive_numbers(world):
    """Numbers never repeat under concurrent submission: the first use of a scope creates its
    counter (a race on the unique constraint) and every later one waits on its row lock."""
    deputies = make_deputies(world.city, 10, prefix="conc")
    drafts = [drafted(world, by=d, title=f"并发提交 {i}") for i, d in enumerate(deputies)]
    errors = _submit_concurrently(drafts, deputies)
    assert errors == []
    year = datetime.now(tz=SHANGHAI).year
    numbers = sorted(Suggestion.objects.values_list("number", flat=True))
    assert numbers == [f"{year}-{i:04d}" for i in range(1, 11)]
    assert sorted(Suggestion.objects.values_list("sequence", flat=True)) == list(range(1, 11))
    assert NumberCounter.objects.get().last == 10


@pytest.mark.django_db(transaction=True)
def test_the_same_draft_submitted_twice_at_once_is_numbered_once(world):
    """Two requests submit one draft at once: one wins, the other gets the 409."""
    s = drafted(world)
    errors = _submit_concurrently([s, s], [world["deputy"], world["deputy"]])
    assert len(errors) == 1 and isinstance(errors[0], DomainError)
    assert "submitted" in errors[0].detail
    assert NumberCounter.objects.get().last == 1
