"""Answering, rating, closing and following up (issue 3 points 5–7, 9).

Rules: SUG-CATEGORY (what each outcome must state, commitments), SUG-FEEDBACK (the lead deputy
rates each lead unit's answer within a window; none in time is "no feedback"), SUG-REHANDLE
(不满意 sends it back with a new, shorter deadline), SUG-PUBLIC (answers published unless marked
not for publication with a reason), SUG-DEADLINE (late answers allowed but counted late).

Decisions written down in docs/suggestions.md ("Answers and evaluation"):
- With several lead units (分办) the suggestion is `answered` only once every lead unit still
  holding it has answered; each answer is rated on its own.
- When every lead unit's latest answer is rated (or recorded as no feedback) the suggestion
  becomes `evaluated` and is closed at once, in the same transaction (both steps audited).
- One re-handling: a 不满意 on a re-handled answer stands as the final rating (MAX_ROUNDS).
- Joint handling (并案办理): the lead deputy of each suggestion merged into this one rates the
  same answers for their own suggestion (JointRating); a 不满意 from any of them sends the
  answer back once (SUG-REHANDLE) as the primary's own would; the primary closes when every
  sponsor's rating is in (or recorded as no feedback), and the merged suggestions close with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.audit.actions import record_event
from renda.calendar.actions import set_deadline
from renda.errors import DomainError, InvalidInput, require
from renda.notifications.actions import notify
from renda.rules.profiles import profile_for
from renda.search.index import index

from ..choices import AssignmentState, Category, Rating, State, UnitRole
from ..facts import refresh_facts
from ..models import (
    BODY_MAX,
    TEXT_MAX,
    Answer,
    Assignment,
    Commitment,
    Evaluation,
    JointRating,
    Merge,
    Suggestion,
)
from ..permissions import (
    acts_for_any_unit_of,
    acts_for_unit,
    can_answer,
    can_evaluate,
    is_office,
)
from ..queries import unit_staff
from .common import copy_state, lock, require_state, set_assignment_state
from .merging import merged_deputies

# SUG-REHANDLE gives one re-handling; the rating of the re-handled answer stands.
MAX_ROUNDS = 2
# A sanity bound on promised dates (one term of a congress), not a rule of law.
COMMITMENT_HORIZON_YEARS = 5
NOT_PUBLIC_REASON_MAX = Answer._meta.get_field("not_public_reason").max_length or 500

ANSWERABLE = (State.ASSIGNED, State.REHANDLING)
RATEABLE = (State.ASSIGNED, State.ANSWERED, State.REHANDLING)
CLOSABLE = (State.ANSWERED, State.EVALUATED)
RATINGS_BY_DEPUTY = (Rating.SATISFIED, Rating.BASICALLY_SATISFIED, Rating.DISSATISFIED)


@dataclass(frozen=True)
class CommitmentIn:
    """One promise of a B or C answer: what, and by when (SUG-CATEGORY)."""

    text: str
    due: date


def suggestion_url(suggestion: Suggestion) -> str:
    return f"/suggestions/{suggestion.pk}/"


def label_of(suggestion: Suggestion) -> str:
    return suggestion.number or suggestion.title[:40]


def _unit_people(unit_id: int) -> list[Any]:
    return unit_staff([unit_id]).get(unit_id, [])


def _today() -> date:
    return timezone.localdate()


def clean_text(value: Any, field: str, *, required: bool, limit: int) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else None
    if text is None:
        raise InvalidInput(_("%(field)s: must be text.") % {"field": field})
    if required and not text:
        raise InvalidInput(_("%(field)s: must not be empty.") % {"field": field})
    if len(text) > limit:
        raise InvalidInput(
            _("%(field)s: at most %(limit)d characters.") % {"field": field, "limit": limit}
        )
    return text


def _horizon(today: date) -> date:
    try:
        return today.replace(year=today.year + COMMITMENT_HORIZON_YEARS)
    except ValueError:  # 29 February
        return today.replace(year=today.year + COMMITMENT_HORIZON_YEARS, day=28)


def _check_future_date(value: Any, field: str, today: date, *, allow_today: bool) -> date:
    if not isinstance(value, date):
        raise InvalidInput(_("%(field)s: a date (YYYY-MM-DD) is needed.") % {"field": field})
    earliest_ok = value >= today if allow_today else value > today
    if not earliest_ok:
        raise InvalidInput(
            _("%(field)s: must be a date in the future (today is %(today)s).")
            % {"field": field, "today": today.isoformat()}
        )
    if value > _horizon(today):
        raise InvalidInput(
            _("%(field)s: more than %(years)d years ahead; check the date.")
            % {"field": field, "years": COMMITMENT_HORIZON_YEARS}
        )
    return value


def _lead_assignment(suggestion: Suggestion, unit: Any) -> Assignment:
    """The unit's lead assignment on this suggestion (not one it returned), or a 422."""
    unit_id = getattr(unit, "pk", unit)
    assignment = None
    if isinstance(unit_id, int) and not isinstance(unit_id, bool):
        assignment = (
            Assignment.objects.select_related("answer_deadline", "unit")
            .filter(suggestion=suggestion, unit_id=unit_id, role=UnitRole.LEAD)
            .exclude(state=AssignmentState.RETURNED)
            .first()
        )
    if assignment is None:
        raise InvalidInput(_("unit: this unit is not a lead unit of this suggestion."))
    return assignment


def _lead_assignments(suggestion: Suggestion) -> list[Assignment]:
    return list(
        Assignment.objects.filter(suggestion=suggestion, role=UnitRole.LEAD)
        .exclude(state=AssignmentState.RETURNED)
        .select_related("unit")
        .order_by("pk")
    )


def _latest_answer(assignment: Assignment) -> Answer | None:
    return (
        Answer.objects.filter(assignment=assignment)
        .select_related("feedback_deadline", "evaluation")
        .order_by("-round")
        .first()
    )


def _evaluation_of(answer: Answer) -> Evaluation | None:
    try:
        return answer.evaluation
    except Evaluation.DoesNotExist:
        return None


# --- Joint handling (并案办理): the suggestions merged into a primary ---------------------------
def _merged_ids(primary_pk: int) -> list[int]:
    return sorted(Merge.objects.filter(into_id=primary_pk).values_list("suggestion_id", flat=True))


def lock_joint(suggestion: Suggestion | int) -> dict[int, Suggestion]:
    """Lock a primary and every suggestion merged into it, in id order (every action that rates
    or closes takes them in this one order, so two of them never deadlock). The set is fixed
    once a unit has answered (merging.py merges and unmerges only before), which is when the
    actions below run."""
    pk = suggestion if isinstance(suggestion, int) else suggestion.pk
    return {i: lock(i) for i in sorted({pk, *_merged_ids(pk)})}


def _final(rating: str, answer: Answer) -> bool:
    """A rating that stands: anything but a 不满意 that still sends the answer back."""
    return rating != Rating.DISSATISFIED or answer.round >= MAX_ROUNDS


def _joint_rated(answer: Answer, merged: list[int]) -> bool:
    """Every merged suggestion's deputy has a final rating of this answer (no feedback counts)."""
    if not merged:
        return True
    ratings = JointRating.objects.filter(answer=answer, suggestion_id__in=merged)
    return sum(_final(r, answer) for r in ratings.values_list("rating", flat=True)) == len(merged)


def _refresh_joint(primary: Suggestion, merged: list[int]) -> None:
    """The statistics' fact rows of the primary, then of its merged suggestions (their state
    may have moved with it), in this transaction."""
    for pk in [primary.pk, *merged]:
        refresh_facts(pk)


# --- Answer --------------------------------------------------------------------------------


def _validate_answer(
    category: Any,
    text: Any,
    commitments: Sequence[CommitmentIn],
    plan: Any,
    planned_date: Any,
    reason: Any,
    public: Any,
    not_public_reason: Any,
    today: date,
) -> dict[str, Any]:
    """SUG-CATEGORY and SUG-PUBLIC checks; every problem is a 422 naming its field."""
    if category not in Category.values:
        raise InvalidInput(_("category: must be one of A, B, C, D."))
    text = clean_text(text, "text", required=True, limit=BODY_MAX)
    plan = clean_text(plan, "plan", required=category == Category.B, limit=TEXT_MAX)
    reason = clean_text(reason, "reason", required=category == Category.C, limit=TEXT_MAX)
    if category == Category.B:
        planned_date = _check_future_date(planned_date, "planned_date", today, allow_today=True)
    elif planned_date is not None:
        planned_date = _check_future_date(planned_date, "planned_date", today, allow_today=True)
    promises = list(commitments or [])
    if promises and category not in (Category.B, Category.C):
        raise InvalidInput(_("commitments: only B and C answers carry commitments."))
    cleaned: list[CommitmentIn] = []
    for i, item in enumerate(promises):
        field = f"commitments[{i}]"
        ctext = clean_text(
            getattr(item, "text", None), f"{field}.text", required=True, limit=TEXT_MAX
        )
        due = _check_future_date(
            getattr(item, "due", None), f"{field}.due", today, allow_today=False
        )
        cleaned.append(CommitmentIn(ctext, due))
    if category == Category.B and not cleaned:
        # SUG-CATEGORY: a B answer's plan and date are its commitment when none is listed.
        if planned_date <= today:
            raise InvalidInput(_("planned_date: must be a date in the future."))
        cleaned.append(CommitmentIn(plan[:TEXT_MAX], planned_date))
    if not isinstance(public, bool):
        raise InvalidInput(_("public: must be true or false."))
    not_public_reason = clean_text(
        not_public_reason, "not_public_reason", required=not public, limit=NOT_PUBLIC_REASON_MAX
    )
    return {
        "category": category,
        "text": text,
        "plan": plan,
        "planned_date": planned_date,
        "reason": reason,
        "public": public,
        "not_public_reason": "" if public else not_public_reason,
        "commitments": cleaned,
    }


@transaction.atomic
def answer(
    suggestion: Suggestion,
    *,
    unit: Any,
    category: str,
    text: str,
    commitments: Sequence[CommitmentIn] = (),
    plan: str = "",
    planned_date: date | None = None,
    reason: str = "",
    public: bool = True,
    not_public_reason: str = "",
    by: Any,
) -> Answer:
    """A lead unit answers (答复), after its head signed off (SUG-CATEGORY, SUG-PUBLIC).

    SUG-CATEGORY: B needs the plan and a date and creates commitments; C needs the reason; D's
    text is its explanation. SUG-DEADLINE: an answer after the due date is accepted and counted
    late. SUG-FEEDBACK: opens the lead deputy's rating window. SUG-REHANDLE: the answer of a
    re-handled unit is the next round. Several lead units: `answered` once all have answered.
    """
    suggestion = lock(suggestion)
    require(
        acts_for_any_unit_of(by, suggestion, lead_only=True),
        _("Only a lead unit of this suggestion sends its answer."),
    )
    assignment = _lead_assignment(suggestion, unit)
    require(can_answer(by, assignment), _("You do not act for this unit."))
    require_state(suggestion, *ANSWERABLE)
    if assignment.state != AssignmentState.ACTIVE:
        raise DomainError(
            _("%(unit)s has already answered; wait for the deputy's rating.")
            % {"unit": assignment.unit.name}
            + f" (state: {suggestion.state})",
            code="already_answered",
        )
    if assignment.signed_off_at is None:
        raise DomainError(
            _("The head of %(unit)s must sign off the answer before it is sent.")
            % {"unit": assignment.unit.name}
            + f" (state: {suggestion.state})",
            code="not_signed_off",
        )
    today = _today()
    data = _validate_answer(
        category, text, commitments, plan, planned_date, reason, public, not_public_reason, today
    )
    previous = _latest_answer(assignment)
    round_ = previous.round + 1 if previous is not None else 1
    deadline = assignment.answer_deadline
    late = deadline is not None and today > deadline.due
    row = Answer.objects.create(
        assignment=assignment,
        round=round_,
        category=data["category"],
        text=data["text"],
        plan=data["plan"],
        planned_date=data["planned_date"],
        reason=data["reason"],
        sent_by=by,
        sent_at=timezone.now(),
        late=late,
        public=data["public"],
        not_public_reason=data["not_public_reason"],
    )
    Commitment.objects.bulk_create(
        [Commitment(answer=row, text=c.text, due=c.due) for c in data["commitments"]]
    )
    index(row)  # issue 7: searchable in the same transaction
    window = profile_for(suggestion.congress).feedback_window
    row.feedback_deadline = set_deadline(
        purpose="feedback",
        start=today,
        kind=window.kind,
        amount=window.amount,
        owner=row,
        watchers=[suggestion.lead_deputy],
        by=by,
    )
    row.save(update_fields=["feedback_deadline"])
    set_assignment_state(assignment, AssignmentState.ANSWERED)
    previous_state = suggestion.state
    if all(a.state == AssignmentState.ANSWERED for a in _lead_assignments(suggestion)):
        suggestion.state = State.ANSWERED
        suggestion.save(update_fields=["state", "updated_at"])
        copy_state(suggestion)
    record_event(
        suggestion,
        "suggestion.answered",
        by=by,
        data={
            "answer": row.pk,
            "unit": assignment.unit_id,
            "round": round_,
            "category": row.category,
            "late": late,
            "due": deadline.due if deadline is not None else None,
            "public": row.public,
            "not_public_reason": row.not_public_reason,
            "commitments": len(data["commitments"]),
            "feedback_due": row.feedback_deadline.due,
            "from_state": previous_state,
            "state": suggestion.state,
        },
    )
    refresh_facts(suggestion.pk)  # the statistics' fact rows, in this transaction
    notify(
        [suggestion.lead_deputy],
        title=_("%(unit)s answered your suggestion %(label)s")
        % {"unit": assignment.unit.name, "label": label_of(suggestion)},
        body=_("Please rate the answer by %(due)s.") % {"due": row.feedback_deadline.due},
        url=suggestion_url(suggestion),
    )
    # Joint handling (并案办理): the one answer reaches every merged suggestion's lead deputy.
    for deputy, merged in merged_deputies(suggestion):
        notify(
            [deputy],
            title=_("%(unit)s answered your suggestion %(label)s (handled jointly)")
            % {"unit": assignment.unit.name, "label": label_of(merged)},
            url=suggestion_url(merged),
        )
    return row


# --- Evaluate ------------------------------------------------------------------------------


def _clean_rating(rating: str, comment: str) -> str:
    """A deputy's rating must be one of theirs (no feedback is the job's); the comment, cleaned."""
    if rating not in RATINGS_BY_DEPUTY:
        raise InvalidInput(_("rating: must be satisfied, basically_satisfied or dissatisfied."))
    return clean_text(comment, "comment", required=False, limit=TEXT_MAX)


def _answer_to_rate(assignment: Assignment, suggestion: Suggestion) -> Answer:
    """The unit's latest answer, or a 409 saying it has not answered (the state named is the
    suggestion's being rated)."""
    latest = _latest_answer(assignment)
    if latest is None:
        raise DomainError(
            _("%(unit)s has not answered yet.") % {"unit": assignment.unit.name}
            + f" (state: {suggestion.state})",
            code="not_answered",
        )
    return latest


def _rated(answer: Answer, assignment: Assignment, rating: str) -> dict[str, Any]:
    """What the audit event of a rating records of it."""
    return {
        "answer": answer.pk,
        "unit": assignment.unit_id,
        "round": answer.round,
        "rating": rating,
    }


def _require_window_open(answer: Answer, suggestion: Suggestion) -> None:
    """SUG-FEEDBACK: after the window (its last day counts) a rating is refused."""
    window = answer.feedback_deadline
    if window is not None and _today() > window.due:
        raise DomainError(
            _("The rating window for this answer closed on %(due)s; it is recorded as no feedback.")
            % {"due": window.due.isoformat()}
            + f" (state: {suggestion.state})",
            code="window_closed",
        )


@transaction.atomic
def evaluate(
    suggestion: Suggestion, *, unit: Any, rating: str, comment: str = "", by: Any
) -> Evaluation:
    """The lead deputy rates a lead unit's latest answer within its window (SUG-FEEDBACK).

    After the window the rating is refused (the deadline job records it as no feedback).
    SUG-REHANDLE: 不满意 sends the suggestion back to that unit with the profile's re-handling
    period; the re-handled answer is rated again and that rating stands.
    """
    into = Merge.objects.filter(suggestion_id=suggestion.pk).values_list("into_id", flat=True)
    if into:
        return _evaluate_joint(
            suggestion, into[0], unit=unit, rating=rating, comment=comment, by=by
        )
    locked = lock_joint(suggestion)
    suggestion = locked[suggestion.pk]
    merged = sorted(set(locked) - {suggestion.pk})
    require(can_evaluate(by, suggestion), _("Only the lead deputy rates the answers."))
    require_state(suggestion, *RATEABLE)
    comment = _clean_rating(rating, comment)
    assignment = _lead_assignment(suggestion, unit)
    latest = _answer_to_rate(assignment, suggestion)
    if _evaluation_of(latest) is not None or assignment.state != AssignmentState.ANSWERED:
        raise DomainError(
            _("This answer of %(unit)s has already been rated.") % {"unit": assignment.unit.name}
            + f" (state: {suggestion.state})",
            code="already_rated",
        )
    _require_window_open(latest, suggestion)
    evaluation = Evaluation.objects.create(
        answer=latest, rating=rating, comment=comment, rated_by=by, rated_at=timezone.now()
    )
    rehandle = not _final(rating, latest)
    data = {**_rated(latest, assignment, rating), "from_state": suggestion.state}
    if rehandle:
        data["rehandle_due"] = _send_back(suggestion, assignment, by=by)
    data["state"] = suggestion.state
    record_event(suggestion, "suggestion.rated", by=by, data=data)
    if not rehandle:
        _finish_if_all_rated(suggestion, by=by)
    # The statistics' fact rows, in this transaction, after the suggestion's last change of
    # state: every action moves the list counts (copy_state) before it refreshes the statistics'
    # counters, one lock order for both kinds of counter rows, so two actions never deadlock.
    _refresh_joint(suggestion, merged)
    return evaluation


def _evaluate_joint(
    suggestion: Suggestion, into: int, *, unit: Any, rating: str, comment: str, by: Any
) -> JointRating:
    """A merged suggestion's lead deputy rates the primary's answer for their own suggestion
    (SUG-FEEDBACK, joint handling): the same window as the primary's deputy; a 不满意 sends the
    answer back to the unit once (SUG-REHANDLE), the new answer again reaching every sponsor."""
    locked = lock_joint(into)
    primary = locked[into]
    merged_ids = sorted(set(locked) - {into})
    suggestion = locked.get(suggestion.pk) or lock(suggestion)  # unmerged meanwhile: its own
    require(can_evaluate(by, suggestion), _("Only the lead deputy rates the answers."))
    require_state(suggestion, State.MERGED)
    if primary.state not in RATEABLE:
        raise DomainError(
            _("%(label)s, which this suggestion is handled with, is %(state)s: nothing to rate.")
            % {"label": label_of(primary), "state": primary.get_state_display()}
            + f" (state: {suggestion.state})",
            code="wrong_state",
        )
    comment = _clean_rating(rating, comment)
    assignment = _lead_assignment(primary, unit)
    latest = _answer_to_rate(assignment, suggestion)
    if assignment.state != AssignmentState.ANSWERED:
        raise DomainError(
            _("%(unit)s is handling it again; you will rate its new answer.")
            % {"unit": assignment.unit.name}
            + f" (state: {suggestion.state})",
            code="rehandling",
        )
    if JointRating.objects.filter(answer=latest, suggestion=suggestion).exists():
        raise DomainError(
            _("This answer of %(unit)s has already been rated.") % {"unit": assignment.unit.name}
            + f" (state: {suggestion.state})",
            code="already_rated",
        )
    _require_window_open(latest, suggestion)
    row = JointRating.objects.create(
        answer=latest,
        suggestion=suggestion,
        rating=rating,
        comment=comment,
        rated_by=by,
        rated_at=timezone.now(),
    )
    rehandle = not _final(rating, latest)
    data = {**_rated(latest, assignment, rating), "jointly_with": primary.pk}
    if rehandle:
        data["rehandle_due"] = _send_back(primary, assignment, by=by)
    record_event(suggestion, "suggestion.rated", by=by, data=data)
    record_event(
        primary,
        "suggestion.rated_jointly",
        by=by,
        data={**data, "merged": suggestion.pk, "state": primary.state},
    )
    if rehandle:
        notify(
            [primary.lead_deputy],
            title=_(
                "%(label)s is handled again: a jointly handled suggestion's deputy is dissatisfied"
            )
            % {"label": label_of(primary)},
            body=_("You will rate the new answer too."),
            url=suggestion_url(primary),
        )
    else:
        _finish_if_all_rated(primary, by=by)
    _refresh_joint(primary, merged_ids)
    return row


def _send_back(suggestion: Suggestion, assignment: Assignment, *, by: Any) -> date:
    """SUG-REHANDLE: the unit handles it again and answers within the profile's period."""
    period = profile_for(suggestion.congress).rehandle_period
    people = _unit_people(assignment.unit_id)
    deadline = set_deadline(
        purpose="rehandle",
        start=_today(),
        kind=period.kind,
        amount=period.amount,
        owner=assignment,
        watchers=people,
        by=by,
    )
    assignment.answer_deadline = deadline
    assignment.due = deadline.due  # the queue's copy of the due date, with the deadline
    # A new deadline: its warnings, overdue mark and escalation start afresh (point 9).
    assignment.overdue_since = None
    assignment.escalated_at = None
    assignment.warned_days = None
    # "一把手负责制": the head signs off the new answer too.
    assignment.signed_off_at = None
    assignment.signed_off_by = None
    set_assignment_state(
        assignment,
        AssignmentState.ACTIVE,
        fields=(
            "answer_deadline",
            "due",
            "overdue_since",
            "escalated_at",
            "warned_days",
            "signed_off_at",
            "signed_off_by",
        ),
    )
    suggestion.state = State.REHANDLING
    suggestion.save(update_fields=["state", "updated_at"])
    copy_state(suggestion)
    notify(
        people,
        title=_("The deputy is dissatisfied with your answer to %(label)s: handle it again")
        % {"label": label_of(suggestion)},
        body=_("Answer again by %(due)s.") % {"due": deadline.due.isoformat()},
        url=suggestion_url(suggestion),
    )
    return deadline.due


def _all_rated(suggestion: Suggestion) -> bool:
    """Every lead unit's latest answer carries a final rating (no feedback counts as one), by
    the lead deputy and by each merged suggestion's (joint handling)."""
    leads = _lead_assignments(suggestion)
    if not leads:
        return False
    merged = _merged_ids(suggestion.pk)
    for assignment in leads:
        if assignment.state != AssignmentState.ANSWERED:
            return False
        latest = _latest_answer(assignment)
        evaluation = _evaluation_of(latest) if latest is not None else None
        if evaluation is None:
            return False
        if not _final(evaluation.rating, latest):
            return False
        if not _joint_rated(latest, merged):
            return False
    return True


def _finish_if_all_rated(suggestion: Suggestion, *, by: Any) -> bool:
    """answered → evaluated → closed, at once, when every lead unit's answer is rated."""
    if suggestion.state not in CLOSABLE or not _all_rated(suggestion):
        return False
    if suggestion.state != State.EVALUATED:
        suggestion.state = State.EVALUATED
        suggestion.save(update_fields=["state", "updated_at"])
        copy_state(suggestion)
        record_event(suggestion, "suggestion.evaluated", by=by, data={"state": suggestion.state})
    _close(suggestion, by=by)
    return True


# --- No feedback, close --------------------------------------------------------------------


@transaction.atomic
def record_no_feedback(
    answer: Answer | int, *, by: Any = None, today: date | None = None
) -> Evaluation | JointRating | None:
    """SUG-FEEDBACK: no rating within the window is recorded as `no_feedback` (rated_by empty),
    never as satisfied — the lead deputy's and, under joint handling, each merged suggestion's
    deputy's. Idempotent: ratings already there are left alone (None when nothing was missing);
    else the first row it recorded."""
    answer_pk = answer if isinstance(answer, int) else answer.pk
    suggestion_pk = (
        Answer.objects.filter(pk=answer_pk).values_list("assignment__suggestion_id", flat=True)
    ).first()
    if suggestion_pk is None:
        return None
    locked = lock_joint(suggestion_pk)
    suggestion = locked[suggestion_pk]
    row = Answer.objects.select_related("assignment", "feedback_deadline").get(pk=answer_pk)
    recorded = _record_no_feedback(suggestion, row, by=by, today=today)
    if recorded is not None:
        _finish_if_all_rated(suggestion, by=by)
        # The statistics' fact rows, in this transaction, after the suggestion's last change of
        # state: every action moves the list counts (copy_state) before it refreshes the statistics'
        # counters, one lock order for both kinds of counter rows, so two actions never deadlock.
        _refresh_joint(suggestion, sorted(set(locked) - {suggestion_pk}))
    return recorded


def _record_no_feedback(
    suggestion: Suggestion, row: Answer, *, by: Any, today: date | None
) -> Evaluation | JointRating | None:
    """Record the missing ratings as no feedback (the lead deputy's, each merged suggestion's
    deputy's); the caller then closes what can close and refreshes the statistics' fact rows.
    The first row recorded, or None."""
    own = not Evaluation.objects.filter(answer=row).exists()
    rated = set(JointRating.objects.filter(answer=row).values_list("suggestion_id", flat=True))
    missing = [pk for pk in _merged_ids(suggestion.pk) if pk not in rated]
    if not own and not missing:
        return None
    latest = _latest_answer(row.assignment)
    if latest is None or latest.pk != row.pk:
        return None  # a superseded answer is not rated any more
    window = row.feedback_deadline
    if window is None or (today or _today()) <= window.due:
        raise DomainError(
            _("The rating window is still open.") + f" (state: {suggestion.state})",
            code="window_open",
        )
    data = {"answer": row.pk, "unit": row.assignment.unit_id, "window_closed": window.due}
    first: Evaluation | JointRating | None = None
    if own:
        first = Evaluation.objects.create(
            answer=row, rating=Rating.NO_FEEDBACK, rated_by=None, rated_at=timezone.now()
        )
        record_event(suggestion, "suggestion.no_feedback", by=by, data=data)
    for merged in Suggestion.objects.filter(pk__in=missing).order_by("pk"):
        joint = JointRating.objects.create(
            answer=row,
            suggestion=merged,
            rating=Rating.NO_FEEDBACK,
            rated_by=None,
            rated_at=timezone.now(),
        )
        first = first or joint
        record_event(
            merged,
            "suggestion.no_feedback",
            by=by,
            data={**data, "jointly_with": suggestion.pk},
        )
    return first


def _close(suggestion: Suggestion, *, by: Any) -> None:
    unmet = Commitment.objects.filter(
        answer__assignment__suggestion=suggestion, met_at__isnull=True
    ).count()
    suggestion.state = State.CLOSED
    suggestion.closed_at = timezone.now()
    suggestion.save(update_fields=["state", "closed_at", "updated_at"])
    copy_state(suggestion)
    record_event(suggestion, "suggestion.closed", by=by, data={"unmet_commitments": unmet})
    body = _("Its open commitments stay on the follow-up list until each is met.") if unmet else ""
    notify(
        [suggestion.lead_deputy],
        title=_("Your suggestion %(label)s is closed") % {"label": label_of(suggestion)},
        body=body,
        url=suggestion_url(suggestion),
    )
    # Joint handling: the suggestions merged into this one close with it (locked already:
    # lock_joint), each audited and its deputy told.
    for merged in (lock(pk) for pk in _merged_ids(suggestion.pk)):  # held: a re-read
        merged.state = State.CLOSED
        merged.closed_at = suggestion.closed_at
        merged.save(update_fields=["state", "closed_at", "updated_at"])
        copy_state(merged)
        record_event(
            merged,
            "suggestion.closed",
            by=by,
            data={"jointly_with": suggestion.pk, "unmet_commitments": unmet},
        )
        notify(
            [merged.lead_deputy],
            title=_("Your suggestion %(label)s is closed") % {"label": label_of(merged)},
            body=_("It was handled jointly with %(primary)s.") % {"primary": label_of(suggestion)}
            + ("\n" + body if body else ""),
            url=suggestion_url(merged),
        )


@transaction.atomic
def close(suggestion: Suggestion | int, *, by: Any = None, today: date | None = None) -> Suggestion:
    """Close once every lead unit's answer is rated or its window has passed (recorded then as
    no feedback, SUG-FEEDBACK). `by` is the deputy-affairs office, or None for the system job.
    Unmet commitments keep it on the follow-up list (回头看)."""
    locked = lock_joint(suggestion)
    suggestion = locked[suggestion if isinstance(suggestion, int) else suggestion.pk]
    if by is not None:
        require(is_office(by, suggestion), _("Only the deputy-affairs office closes a suggestion."))
    require_state(suggestion, *CLOSABLE)
    today = today or _today()
    recorded = False
    for assignment in _lead_assignments(suggestion):
        latest = _latest_answer(assignment)
        if (
            latest is not None
            and latest.feedback_deadline is not None
            and today > latest.feedback_deadline.due
        ):  # the lead deputy's or a merged suggestion's deputy's rating missing: no feedback
            recorded |= _record_no_feedback(suggestion, latest, by=by, today=today) is not None
    if not _finish_if_all_rated(suggestion, by=by):
        raise DomainError(
            _("Some lead unit's answer is still waiting for the deputy's rating.")
            + f" (state: {suggestion.state})",
            code="not_rated",
        )
    if recorded:
        # The statistics' fact rows, in this transaction, after the suggestion's last change of
        # state: every action moves the list counts (copy_state) before it refreshes the statistics'
        # counters, one lock order for both kinds of counter rows, so two actions never deadlock.
        _refresh_joint(suggestion, sorted(set(locked) - {suggestion.pk}))
    return suggestion


# --- Commitments ---------------------------------------------------------------------------


@transaction.atomic
def mark_commitment_met(commitment: Commitment, *, evidence: str, by: Any) -> Commitment:
    """A commitment is met, with evidence (回头看, SUG-CATEGORY); it leaves the follow-up list."""
    suggestion = lock(commitment.answer.assignment.suggestion_id)
    row = Commitment.objects.select_related("answer__assignment__unit").get(pk=commitment.pk)
    assignment = row.answer.assignment
    require(acts_for_unit(by, assignment), _("Only the unit that promised it marks it met."))
    if row.met_at is not None:
        raise DomainError(
            _("This commitment was already marked met on %(day)s.")
            % {"day": timezone.localdate(row.met_at).isoformat()}
            + f" (state: {suggestion.state})",
            code="already_met",
        )
    evidence = clean_text(evidence, "evidence", required=True, limit=TEXT_MAX)
    row.met_at = timezone.now()
    row.met_by = by
    row.evidence = evidence
    row.save(update_fields=["met_at", "met_by", "evidence"])
    record_event(
        suggestion,
        "suggestion.commitment_met",
        by=by,
        data={"commitment": row.pk, "unit": assignment.unit_id, "due": row.due},
    )
    refresh_facts(suggestion.pk)  # the statistics' fact rows, in this transaction
    notify(
        [suggestion.lead_deputy],
        title=_("%(unit)s reports a commitment on %(label)s as met")
        % {"unit": assignment.unit.name, "label": label_of(suggestion)},
        body=row.text[:500],
        url=suggestion_url(suggestion),
    )
    return row


def close_if_ready(suggestion_pk: int, *, today: date | None = None) -> bool:
    """The job's closing step: close what can close, quietly leave the rest."""
    try:
        close(suggestion_pk, by=None, today=today)
    except DomainError:
        return False
    return True
