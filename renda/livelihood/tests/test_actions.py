"""The livelihood year's rules, through the real actions on the real database (LP-VOTE)."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from PIL import Image

from renda.audit.models import AuditEvent
from renda.errors import DomainError, Forbidden, InvalidInput
from renda.livelihood import actions
from renda.livelihood.actions_vote import (
    adopt_evaluation,
    adopt_result,
    open_evaluation,
    put_to_vote,
)
from renda.livelihood.models import Plan, Project, Proposal
from renda.livelihood.queries import board
from renda.opinions.images import clean_image
from renda.votes.actions import cast_vote, close_ballot, open_ballot

from . import builders as b

pytestmark = pytest.mark.django_db


# --- the plan and collection


def test_plan_takes_m_from_the_rule_profile_when_not_given(world):
    """LP-VOTE: M is a per-congress setting (rule profile), never a constant."""
    world.city.rule_profile = "zhejiang"
    world.city.save()
    p = b.plan(world)
    assert p.max_choices == 10
    assert AuditEvent.objects.filter(verb="livelihood.plan_created").count() == 1


def test_only_the_office_creates_a_plan(world):
    for who in ("supervisor", "deputy", "edu_clerk", "county_affairs"):
        with pytest.raises(Forbidden):
            actions.create_plan(
                congress=world.city,
                year=2027,
                title="x",
                collect_from=b.some_day(0),
                collect_until=b.some_day(3),
                by=world[who],
            )


def test_a_window_that_closes_before_it_opens_is_refused(world):
    with pytest.raises(InvalidInput):
        b.plan(world, collect_from=b.some_day(3), collect_until=b.some_day(1))


def test_public_proposal_in_the_window_keeps_contact_out_of_the_audit(world):
    p = b.plan(world)
    proposal = actions.propose(
        p, title="加装电梯", text="老小区没有电梯", name="张三", phone="13900001111"
    )
    assert proposal.source == "public" and proposal.phone == "13900001111"
    event = AuditEvent.objects.get(verb="livelihood.proposed")
    assert "13900001111" not in str(event.data) and "张三" not in str(event.data)


def test_anonymous_proposal_drops_name_and_phone(world):
    p = b.plan(world)
    proposal = actions.propose(p, title="t", text="x", name="张三", phone="139", anonymous=True)
    assert proposal.name == "" and proposal.phone == ""


@pytest.mark.parametrize("window", [(-10, -1), (1, 10)])
def test_proposal_outside_the_window_is_refused(world, window):
    p = b.plan(world, collect_from=b.some_day(window[0]), collect_until=b.some_day(window[1]))
    with pytest.raises(DomainError) as err:
        actions.propose(p, title="t", text="x")
    assert err.value.code == "window_closed"
    assert not Proposal.objects.exists()


def test_proposal_after_collection_closed_is_refused(world):
    p = b.plan(world)
    actions.close_collection(p, by=world["affairs"])
    with pytest.raises(DomainError):
        actions.propose(p, title="t", text="x")


def test_deputy_proposes_signed_in_and_others_signed_in_may_not(world):
    p = b.plan(world)
    proposal = actions.propose(p, title="t", text="x", by=world["deputy"])
    assert proposal.source == "deputy" and proposal.deputy.person.user == world["deputy"]
    with pytest.raises(Forbidden):
        actions.propose(p, title="t", text="x", by=world["edu_clerk"])


def test_bad_proposal_input_is_refused_clearly(world):
    p = b.plan(world)
    with pytest.raises(InvalidInput):
        actions.propose(p, title="", text="x")
    with pytest.raises(InvalidInput):
        actions.propose(p, title="t", text="x" * 5000)
    with pytest.raises(InvalidInput):
        actions.propose(p, title="t", text="a\x00b")
    with pytest.raises(InvalidInput):
        actions.propose(p, title="t", text="x", phone="call me")


def test_merge_keeps_every_proposer_and_follows_earlier_merges(world):
    p = b.plan(world)
    a, c, d = (actions.propose(p, title=f"t{i}", text="x", name=f"n{i}") for i in range(3))
    actions.merge_proposals(c, [d], by=world["affairs"])
    actions.merge_proposals(a, [c], by=world["affairs"])
    assert set(Proposal.objects.filter(merged_into=a).values_list("name", flat=True)) == {
        "n1",
        "n2",
    }
    assert Proposal.objects.count() == 3
    with pytest.raises(Forbidden):
        actions.merge_proposals(a, [d], by=world["supervisor"])
    with pytest.raises(InvalidInput):
        actions.merge_proposals(a, [a], by=world["affairs"])


# --- screening


def test_government_side_drafts_and_the_office_reviews(world):
    p = b.plan(world)
    prop = actions.propose(p, title="电梯", text="x")
    project = actions.save_candidate(p, b.data(world, proposals=[prop.pk]), by=world["supervisor"])
    assert project.state == "draft" and list(project.proposals.all()) == [prop]
    with pytest.raises(Forbidden):
        actions.save_candidate(p, b.data(world), by=world["affairs"])
    actions.submit_candidate(project, by=world["supervisor"])
    project = actions.return_candidate(project, reason="预算依据不足", by=world["affairs"])
    assert project.state == "returned" and project.return_reason == "预算依据不足"
    project = actions.save_candidate(
        p, b.data(world, budget="900000"), project=project, by=world["supervisor"]
    )
    assert project.budget == Decimal("900000.00")
    actions.submit_candidate(project, by=world["supervisor"])
    with pytest.raises(Forbidden):
        actions.approve_candidate(project, by=world["supervisor"])
    assert actions.approve_candidate(project, by=world["affairs"]).state == "approved"


@pytest.mark.parametrize("budget", ["-1", "abc", "1.234", "NaN", "1e20", None])
def test_a_bad_budget_is_refused(world, budget):
    p = b.plan(world)
    with pytest.raises(InvalidInput):
        actions.save_candidate(p, b.data(world, budget=budget), by=world["supervisor"])


def test_lead_unit_must_be_of_the_congress(world):
    from renda.orgs.models import HandlingUnit

    other = HandlingUnit.objects.create(congress=world.county, name="区教育局", kind="government")
    p = b.plan(world)
    with pytest.raises(InvalidInput):
        actions.save_candidate(p, b.data(world, lead_unit=other), by=world["supervisor"])


def test_one_coordinate_alone_is_refused(world):
    p = b.plan(world)
    with pytest.raises(InvalidInput):
        actions.save_candidate(p, b.data(world, latitude="28.0"), by=world["supervisor"])


def test_fix_list_needs_more_candidates_than_places(world):
    """LP-VOTE: a multi-candidate vote (差额): N > M."""
    p = b.plan(world)
    b.approved(world, p, 2)
    actions.close_collection(p, by=world["affairs"])
    with pytest.raises(DomainError) as err:
        actions.fix_list(p, max_choices=2, by=world["affairs"])
    assert err.value.code == "too_few_candidates"
    p = actions.fix_list(p, max_choices=1, by=world["affairs"])
    assert p.state == "list_fixed" and p.max_choices == 1
    assert list(Project.objects.filter(plan=p).values_list("position", flat=True)) == [1, 2]


def test_fix_list_waits_for_submitted_candidates(world):
    p = b.plan(world)
    b.approved(world, p, 3)
    pending = actions.save_candidate(p, b.data(world, title="待审"), by=world["supervisor"])
    actions.submit_candidate(pending, by=world["supervisor"])
    actions.close_collection(p, by=world["affairs"])
    with pytest.raises(DomainError) as err:
        actions.fix_list(p, max_choices=2, by=world["affairs"])
    assert err.value.code == "pending_review"


# --- the vote (through renda.votes)


def _vote(world, p, session, papers):
    ballot = open_ballot(p.ballot, by=world["affairs"])
    ids = b.choice_ids(ballot)
    voters = [m.user for m in session.members.filter(present=True).order_by("pk")]
    for voter, picks in zip(voters, papers, strict=False):
        cast_vote(ballot, voter=voter, choices=[ids[i] for i in picks])
    close_ballot(ballot, by=world["affairs"])
    return adopt_result(Plan.objects.get(pk=p.pk), by=world["affairs"])


def test_vote_chooses_top_m_with_more_than_half_of_all_deputies(world):
    """LP-VOTE: within the top M and votes from more than half of ALL deputies (5 on the roll:
    3 needed, whatever the attendance)."""
    p, projects = b.fixed(world, n=4, m=2)
    session = b.session(world, 5)
    p = put_to_vote(p, session, by=world["affairs"])
    assert p.state == "voting" and p.ballot.kind == "livelihood"
    assert p.ballot.choices.filter(ref_type="livelihood.project").count() == 4
    # project 0: 5 votes, project 1: 2 votes (top 2 but not > half of 5), project 2: 1.
    p = _vote(world, p, session, [[0, 1], [0, 1], [0, 2], [0], [0]])
    states = {x.pk: x for x in Project.objects.filter(plan=p)}
    assert p.state == "chosen"
    assert states[projects[0].pk].state == "chosen" and states[projects[0].pk].votes == 5
    assert states[projects[0].pk].rank == 1
    assert states[projects[1].pk].state == "not_chosen" and states[projects[1].pk].votes == 2
    assert states[projects[3].pk].state == "not_chosen"


def test_a_tie_at_the_cut_off_goes_to_a_run_off_among_the_tied(world):
    """LP-VOTE: a tie at the cut-off is settled by a run-off among the tied."""
    p, projects = b.fixed(world, n=3, m=2)
    session = b.session(world, 5)
    p = put_to_vote(p, session, by=world["affairs"])
    first = p.ballot
    # 0: 4 votes; 1 and 2: 3 each (both more than half of 5) for the one place left.
    p = _vote(world, p, session, [[0, 1], [0, 1], [0, 2], [0, 2], [1, 2]])
    assert p.state == "voting"
    assert p.ballot.pk != first.pk and p.ballot.runoff_of_id == first.pk
    assert Project.objects.get(pk=projects[0].pk).state == "chosen"
    assert [c.ref_id for c in p.ballot.choices.order_by("position")] == [
        projects[1].pk,
        projects[2].pk,
    ]
    assert p.ballot.max_choices == 1
    p = _vote(world, p, session, [[0], [0], [0], [1], [1]])
    assert p.state == "chosen"
    assert Project.objects.get(pk=projects[1].pk).state == "chosen"
    assert Project.objects.get(pk=projects[1].pk).votes == 3  # the first ballot's count
    assert Project.objects.get(pk=projects[2].pk).state == "not_chosen"
    assert AuditEvent.objects.filter(verb="livelihood.runoff").count() == 1


def test_vote_needs_a_session_of_the_plans_congress(world):
    from renda.votes.tests.builders import meeting, members

    p, _ = b.fixed(world)
    sc = meeting(world, members(3, "scx"), kind="sc_meeting")
    with pytest.raises(InvalidInput):
        put_to_vote(p, sc, by=world["affairs"])
    with pytest.raises(Forbidden):
        put_to_vote(p, b.session(world, 3), by=world["supervisor"])


def test_result_is_adopted_only_after_close(world):
    p, _ = b.fixed(world)
    p = put_to_vote(p, b.session(world, 3), by=world["affairs"])
    with pytest.raises(DomainError) as err:
        adopt_result(p, by=world["affairs"])
    assert err.value.code == "ballot_open"


def test_no_quorum_no_vote(world):
    """CONGRESS-QUORUM: the ballot does not open with fewer than two thirds present."""
    p, _ = b.fixed(world)
    p = put_to_vote(p, b.session(world, 6, present=3), by=world["affairs"])
    with pytest.raises(DomainError) as err:
        open_ballot(p.ballot, by=world["affairs"])
    assert err.value.code == "no_quorum"


def test_year_end_evaluation_publishes_shares(world):
    p, chosen = b.chosen(world, n=3, m=2)
    assert len(chosen) == 2
    session = b.session(world, 4)
    p = open_evaluation(p, session, by=world["affairs"])
    ballot = open_ballot(p.evaluation_ballot, by=world["affairs"])
    assert ballot.answers == "satisfaction"
    ids = b.choice_ids(ballot)
    papers = ["satisfied", "satisfied", "basic", "dissatisfied"]
    for member, answer in zip(session.members.order_by("pk"), papers, strict=True):
        cast_vote(ballot, voter=member.user, answers={ids[0]: answer, ids[1]: "satisfied"})
    close_ballot(ballot, by=world["affairs"])
    p = adopt_evaluation(p, by=world["affairs"])
    assert p.state == "evaluated"
    rows = {r.project.pk: r for r in board(p).rows}
    first = Project.objects.get(pk=ballot.choices.get(pk=ids[0]).ref_id)
    assert rows[first.pk].evaluation == {
        "satisfied": 50.0,
        "basic": 25.0,
        "dissatisfied": 25.0,
        "total": 4,
    }


# --- monitoring


def _jpeg_with_exif() -> bytes:
    img = Image.new("RGB", (40, 30), (200, 10, 10))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_lead_unit_reports_monthly_with_photos_without_exif(world):
    p, chosen = b.chosen(world)
    project = chosen[0]
    image = clean_image(io.BytesIO(_jpeg_with_exif()), "a.jpg")
    today = timezone.localdate()
    report = actions.file_report(
        project,
        month=f"{today:%Y-%m}",
        text="已完成 20 个小区",
        percent=30,
        spent="360000",
        images=[image],
        by=world["edu_clerk"],
    )
    photo = report.photos.get()
    data = photo.file.read()
    assert b"SecretCam" not in data and photo.content_type == "image/jpeg"
    with pytest.raises(DomainError):  # one report per month
        actions.file_report(
            project, month=f"{today:%Y-%m}", text="x", percent=1, spent=0, by=world["edu_clerk"]
        )
    with pytest.raises(Forbidden):  # not the lead unit
        actions.file_report(
            project, month="2020-01", text="x", percent=1, spent=0, by=world["transport_clerk"]
        )
    with pytest.raises(InvalidInput):
        actions.file_report(
            project, month="2020-01", text="x", percent=101, spent=0, by=world["edu_clerk"]
        )
    future = today.replace(day=1) + timedelta(days=40)
    with pytest.raises(InvalidInput):
        actions.file_report(
            project, month=f"{future:%Y-%m}", text="x", percent=1, spent=0, by=world["edu_clerk"]
        )


def test_candidates_not_chosen_are_not_monitored(world):
    p, _chosen = b.chosen(world, n=3, m=2)
    loser = Project.objects.get(plan=p, state="not_chosen")
    with pytest.raises(DomainError):
        actions.add_milestone(loser, title="x", planned_on=b.some_day(3), by=world["affairs"])


def test_board_says_late_on_time_and_done_and_budget_spent(world):
    p, chosen = b.chosen(world, n=4, m=3)
    late, on_time, done = chosen[:3]
    actions.add_milestone(late, title="开工", planned_on=b.some_day(-5), by=world["edu_clerk"])
    m = actions.add_milestone(
        on_time, title="开工", planned_on=b.some_day(-5), by=world["edu_clerk"]
    )
    actions.reach_milestone(m, done_on=b.some_day(-6), by=world["edu_clerk"])
    actions.add_milestone(on_time, title="完工", planned_on=b.some_day(30), by=world["edu_clerk"])
    actions.complete_project(done, done_on=b.some_day(0), by=world["edu_clerk"])
    actions.file_report(
        late,
        month=f"{timezone.localdate():%Y-%m}",
        text="慢",
        percent=10,
        spent="300000",
        by=world["edu_clerk"],
    )
    rows = {r.project.pk: r for r in board(p).rows}
    assert rows[late.pk].progress == "late" and rows[late.pk].spent_percent == 25.0
    assert rows[on_time.pk].progress == "on_time" and rows[on_time.pk].spent_percent == 0.0
    assert rows[done.pk].progress == "done"
    with pytest.raises(InvalidInput):
        actions.reach_milestone(m, done_on=b.some_day(2), by=world["edu_clerk"])


def test_supervision_group_set_by_the_office_records_inspections(world):
    from renda.deputies.models import Deputyship

    p, chosen = b.chosen(world)
    project = chosen[0]
    dep = Deputyship.objects.get(person__user=world["deputy"])
    with pytest.raises(Forbidden):
        actions.record_inspection(project, held_on=b.some_day(0), findings="x", by=world["deputy"])
    with pytest.raises(Forbidden):
        actions.set_supervisors(project, deputies=[dep], by=world["supervisor"])
    actions.set_supervisors(project, deputies=[dep], leader=dep, by=world["affairs"])
    inspection = actions.record_inspection(
        project, held_on=b.some_day(0), findings="进度正常", by=world["deputy"]
    )
    assert inspection.by == world["deputy"]
    with pytest.raises(Forbidden):
        actions.record_inspection(project, held_on=b.some_day(0), findings="x", by=world["deputy2"])
    with pytest.raises(InvalidInput):  # not a deputy of this congress
        actions.set_supervisors(project, deputies=[999999], by=world["affairs"])


def test_every_state_change_is_audited_with_a_known_verb(world):
    from renda.audit.verbs import known_verbs

    b.chosen(world)
    verbs = set(
        AuditEvent.objects.filter(verb__startswith="livelihood.").values_list("verb", flat=True)
    )
    assert verbs <= known_verbs()
    assert {"livelihood.put_to_vote", "livelihood.result_adopted", "livelihood.list_fixed"} <= verbs
