"""Play the demo suggestions (renda.demo.stories) through the real actions.

Every step of every story is one call to the action a person would make (create_draft,
confirm_cosign, submit, register, reject, convert, assign, request_return, decide_return,
log_contact, send_co_opinion, sign_off, answer, evaluate, record_no_feedback,
mark_commitment_met, mark_key, add_progress_report), by the person who would make it, on the
day the story says (renda.demo.clock). The steps of all stories run in date order, so the audit
trail's hash chain is in time order too. Then the daily deadline job runs once for today
(warnings, overdue marks, no feedback, closing), as it would have.

Idempotent: a story whose title already exists in its congress is skipped.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from renda.accounts.models import User
from renda.orgs.models import Congress, HandlingUnit
from renda.suggestions.actions.answers import (
    CommitmentIn,
    answer,
    evaluate,
    mark_commitment_met,
    record_no_feedback,
)
from renda.suggestions.actions.assignment import (
    assign,
    decide_return,
    log_contact,
    request_return,
    send_co_opinion,
    sign_off,
)
from renda.suggestions.actions.key import add_progress_report, mark_key
from renda.suggestions.actions.registration import convert, register, reject
from renda.suggestions.actions.submission import confirm_cosign, create_draft, submit
from renda.suggestions.models import (
    Answer,
    Assignment,
    Commitment,
    KeySuggestion,
    ReturnRequest,
    Suggestion,
    Topic,
)
from renda.suggestions.tasks import check_deadlines

from .clock import clock_at, moment
from .stories import CITY_CODE, STORIES, TOPICS, Step, Story

# The deputy-affairs office of each demo congress that has suggestions.
OFFICE = {CITY_CODE: "affairs", "330302": "county_affairs"}
REGION_PREFIX = {CITY_CODE: "温州市", "330302": "鹿城区"}


@dataclass
class _Played:
    story: Story
    congress: Congress
    suggestion: Suggestion | None = None
    requests: list[ReturnRequest] = field(default_factory=list)


class _Player:
    def __init__(
        self,
        today: date,
        users: dict[str, User],
        congresses: dict[str, Congress],
        units: dict[str, HandlingUnit],
        staff: dict[str, tuple[str, str]],
    ) -> None:
        self.today = today
        self.users = users
        self.congresses = congresses
        self.units = units
        self.staff = staff  # unit name -> (clerk username, head username)
        self.topics: dict[tuple[str, str], Topic] = {}

    # --- lookups ------------------------------------------------------------------------
    def day(self, offset: int) -> date:
        return self.today + timedelta(days=offset)

    def unit(self, played: _Played, short: str) -> HandlingUnit:
        return self.units[REGION_PREFIX[played.story.congress] + short]

    def clerk(self, played: _Played, short: str) -> User:
        return self.users[self.staff[self.unit(played, short).name][0]]

    def head(self, played: _Played, short: str) -> User:
        return self.users[self.staff[self.unit(played, short).name][1]]

    def office(self, played: _Played) -> User:
        return self.users[OFFICE[played.story.congress]]

    def lead(self, played: _Played) -> User:
        return self.users[played.story.lead]

    def assignment(self, played: _Played, short: str) -> Assignment:
        return (
            Assignment.objects.exclude(state="returned")
            .select_related("unit")
            .get(suggestion=played.suggestion, unit=self.unit(played, short))
        )

    def latest_answer(self, played: _Played, short: str) -> Answer:
        return Answer.objects.filter(assignment=self.assignment(played, short)).latest("round")

    def topic(self, played: _Played) -> Topic:
        key = (played.story.congress, played.story.topic)
        if key not in self.topics:
            self.topics[key] = Topic.objects.get(congress=played.congress, name=key[1])
        return self.topics[key]

    # --- one step -----------------------------------------------------------------------
    def play(self, played: _Played, step: Step) -> None:
        getattr(self, f"do_{step.verb}")(played, **step.args)

    def do_draft(self, p: _Played) -> None:
        s = p.story
        p.suggestion = create_draft(
            p.congress,
            by=self.lead(p),
            kind=s.kind,
            title=s.title,
            body=s.body,
            topic=self.topic(p),
            cosigners=[self.users[name] for name in s.cosigners],
        )

    def do_confirm(self, p: _Played, deputies: tuple[str, ...]) -> None:
        for name in deputies:
            confirm_cosign(p.suggestion, by=self.users[name])

    def do_submit(self, p: _Played) -> None:
        submit(p.suggestion, by=self.lead(p))

    def do_register(self, p: _Played) -> None:
        register(p.suggestion, by=self.office(p))

    def do_reject(self, p: _Played, ground: str, explanation: str) -> None:
        reject(p.suggestion, ground=ground, explanation=explanation, by=self.office(p))

    def do_convert(self, p: _Played) -> None:
        convert(p.suggestion, by=self.office(p))

    def do_assign(
        self,
        p: _Played,
        leads: tuple[str, ...],
        cos: tuple[str, ...],
        complex: bool,  # noqa: A002 - the action's word
        assigned_on: int | None,
    ) -> None:
        assign(
            p.suggestion,
            lead_units=[self.unit(p, u) for u in leads],
            co_units=[self.unit(p, u) for u in cos],
            complex=complex,
            assigned_on=self.day(assigned_on) if assigned_on is not None else None,
            by=self.office(p),
        )

    def do_ask_return(self, p: _Played, unit: str, reason: str) -> None:
        p.requests.append(
            request_return(self.assignment(p, unit), reason=reason, by=self.clerk(p, unit))
        )

    def do_decide_return(
        self, p: _Played, approve: bool, new_leads: tuple[str, ...], note: str
    ) -> None:
        decide_return(
            p.requests[-1],
            approve=approve,
            new_lead_units=[self.unit(p, u).pk for u in new_leads],
            note=note,
            by=self.office(p),
        )

    def do_contact(self, p: _Played, unit: str, stage: str, method: str, note: str) -> None:
        log_contact(
            self.assignment(p, unit),
            stage=stage,
            method=method,
            happened_on=self.clock_day,
            note=note,
            by=self.clerk(p, unit),
        )

    def do_co_opinion(self, p: _Played, unit: str, text: str) -> None:
        send_co_opinion(self.assignment(p, unit), text=text, by=self.clerk(p, unit))

    def do_sign_off(self, p: _Played, unit: str) -> None:
        sign_off(self.assignment(p, unit), by=self.head(p, unit))

    def do_answer(
        self,
        p: _Played,
        unit: str,
        category: str,
        text: str,
        plan: str,
        planned: int | None,
        reason: str,
        commitments: tuple[tuple[str, int], ...],
        not_public: str,
    ) -> None:
        answer(
            p.suggestion,
            unit=self.unit(p, unit),
            category=category,
            text=text,
            plan=plan,
            planned_date=self.day(planned) if planned is not None else None,
            reason=reason,
            commitments=[CommitmentIn(t, self.day(d)) for t, d in commitments],
            public=not not_public,
            not_public_reason=not_public,
            by=self.clerk(p, unit),
        )

    def do_rate(self, p: _Played, unit: str, rating: str, comment: str) -> None:
        evaluate(
            p.suggestion, unit=self.unit(p, unit), rating=rating, comment=comment, by=self.lead(p)
        )

    def do_no_feedback(self, p: _Played, unit: str) -> None:
        record_no_feedback(self.latest_answer(p, unit), today=self.clock_day)

    def do_met(self, p: _Played, unit: str, evidence: str, index: int) -> None:
        open_ = Commitment.objects.filter(
            answer=self.latest_answer(p, unit), met_at__isnull=True
        ).order_by("due", "pk")
        mark_commitment_met(open_[index], evidence=evidence, by=self.clerk(p, unit))

    def do_key(self, p: _Played, leader: str | None, committee: str) -> None:
        mark_key(
            p.suggestion,
            supervisor=self.users[leader] if leader else None,
            committee=committee,
            by=self.office(p),
        )

    def do_progress(self, p: _Played, unit: str, text: str) -> None:
        key = KeySuggestion.objects.get(suggestion=p.suggestion)
        add_progress_report(key, unit=self.unit(p, unit), text=text, by=self.clerk(p, unit))

    clock_day: date


def _topics(congresses: dict[str, Congress]) -> int:
    made = 0
    for code, names in TOPICS.items():
        have = set(Topic.objects.filter(congress=congresses[code]).values_list("name", flat=True))
        missing = [Topic(congress=congresses[code], name=n) for n in names if n not in have]
        Topic.objects.bulk_create(missing)
        made += len(missing)
    return made


def seed_suggestions(
    *,
    today: date,
    users: dict[str, User],
    congresses: dict[str, Congress],
    units: dict[str, HandlingUnit],
    staff: dict[str, tuple[str, str]],
) -> Counter[str]:
    """Play every story not yet in the database; return what was created. Runs inside the
    caller's transaction (seed_demo)."""
    created: Counter[str] = Counter()
    topics = _topics(congresses)
    if topics:
        created["topics"] = topics
    have = set(
        Suggestion.objects.filter(
            congress__division_code__in=list(TOPICS), title__in=[s.title for s in STORIES]
        ).values_list("congress__division_code", "title")
    )
    todo = [
        _Played(story=s, congress=congresses[s.congress])
        for s in STORIES
        if (s.congress, s.title) not in have
    ]
    if not todo:
        return created
    player = _Player(today, users, congresses, units, staff)
    steps = sorted(
        (
            (step.day, i, j, played, step)
            for i, played in enumerate(todo)
            for j, step in enumerate(played.story.steps)
        ),
        key=lambda row: row[:3],
    )
    minute, last_day = 0, None
    for offset, _i, _j, played, step in steps:
        minute = minute + 1 if offset == last_day else 0
        last_day = offset
        player.clock_day = player.day(offset)
        with clock_at(moment(player.clock_day, minute)):
            player.play(played, step)
    created["suggestions"] = len(todo)
    # The daily deadline job, once for today: warnings, overdue marks, no feedback, closing.
    check_deadlines(today)
    return created
