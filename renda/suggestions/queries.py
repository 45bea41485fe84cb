"""Reads about suggestions, always restricted to what the user may see."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any, NamedTuple

from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
)
from django.utils import timezone

from renda.accounts.choices import Role
from renda.accounts.permissions import is_admin, office_congress_ids, role_assignments

from . import counts
from .choices import COSIGN_STATES, AssignmentState, State, UnitRole
from .models import Assignment, Suggestion

# Roles that see every suggestion (past the draft) of the congresses they hold the role in.
OFFICE_ROLES = frozenset({Role.DEPUTY_AFFAIRS, Role.COMMITTEE, Role.LEADER, Role.GOV_SUPERVISOR})
UNIT_ROLES = frozenset({Role.UNIT_CLERK, Role.UNIT_HEAD})


class Arms(NamedTuple):
    """What a user may see, in arms (see `_visibility`)."""

    personal: Q
    broad: Q | None
    units: set[int]
    congresses: set[int]  # the office congresses behind `broad`


def _visibility(user: Any, *, one: bool = False) -> Arms | None:
    """The arms of what a user may see: (personal, broad, units, office congresses), None for
    an administrator.

    `personal`: the suggestions they lead or co-sign (or are asked to), drafts included.
    `broad`: past the draft, their office congresses' and those assigned to their units (not
    returned); None when they hold neither role. Subqueries on indexed columns rather than
    joins + DISTINCT: with joins the database had to build and de-duplicate every joined row
    before paging (issue 3, "Benchmark")."""
    from .models import Sponsor

    if is_admin(user):
        return None
    office_congresses = set()
    units = set()
    for ra in role_assignments(user):
        if ra.role in OFFICE_ROLES and ra.congress_id:
            office_congresses.add(ra.congress_id)
        if ra.role in UNIT_ROLES and ra.unit_id:
            units.add(ra.unit_id)
    # One IN over a UNION ALL of the user's own rows (their sponsor rows, and what they lead,
    # which also has a sponsor row unless entered otherwise): the database starts from those few
    # rows. `lead_deputy = me OR id IN (…)` cannot be read from an index: PostgreSQL filtered a
    # whole year's suggestions for it (42 ms at 1 M for the office's personal-arm check).
    sponsored = Sponsor.objects.filter(deputy=user, declined_at__isnull=True)
    led = Suggestion.objects.filter(lead_deputy=user)
    personal = Q(
        pk__in=sponsored.order_by()
        .values("suggestion_id")
        .union(led.order_by().values("pk"), all=True)
    )
    broad: Q | None = None
    if office_congresses:
        broad = Q(congress_id__in=office_congresses)
    if units:
        assigned = Assignment.objects.filter(unit_id__in=units).exclude(
            state=AssignmentState.RETURNED
        )
        if one:
            # One suggestion (the getters): a correlated EXISTS looks at its own assignments;
            # IN (…) would first list every suggestion of a busy unit (38 000 at 1 M).
            mine: Q = Q(Exists(assigned.filter(suggestion_id=OuterRef("pk"))))
        else:
            mine = Q(pk__in=assigned.values("suggestion_id"))
        broad = mine if broad is None else broad | mine
    if broad is not None:
        broad &= ~Q(state=State.DRAFT)
    return Arms(personal, broad, units, office_congresses)


def suggestions_visible_to(user: Any, *, one: bool = False) -> QuerySet[Suggestion]:
    """Office staff: their congresses' suggestions past the draft. Units: those assigned to
    their unit (not ones they returned). Deputies: their own and those they co-sign or are asked
    to co-sign. Drafts: only their lead deputy and the invited co-signers."""
    qs = Suggestion.objects.all()
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    arms = _visibility(user, one=one)
    if arms is None:
        return qs.exclude(state=State.DRAFT)
    return qs.filter(arms.personal if arms.broad is None else arms.personal | arms.broad)


class Listing:
    """A list of suggestions to page through: `count()` and `[start:stop]` (a list, in the
    default order -year, -sequence, -id). See `listed_suggestions`."""

    def __init__(
        self,
        rows: QuerySet[Suggestion],
        *,
        assigned: QuerySet[Assignment] | None = None,
        counted: Callable[[], int] | None = None,
        related: tuple[str, ...] = (),
    ) -> None:
        self._rows, self._assigned, self._related = rows, assigned, related
        self._counted = counted

    def count(self) -> int:
        if self._counted is not None:
            return self._counted()
        return (self._assigned if self._assigned is not None else self._rows).count()

    def __getitem__(self, index: slice) -> list[Suggestion]:
        rows = self._rows.select_related(*self._related)
        if self._assigned is None:
            return list(rows[index])
        # The page's ids from the assignments' index (in the list's order), then those rows.
        ids = self._assigned.order_by(
            "-suggestion_year", "-suggestion_sequence", "-suggestion_id"
        ).values("suggestion_id")[index]
        return list(rows.filter(pk__in=ids))


def listed_suggestions(
    user: Any,
    *,
    state: str | None = None,
    year: int | None = None,
    kind: str | None = None,
    unit: int | None = None,
    narrow: Q | None = None,
    related: tuple[str, ...] = (),
) -> Listing:
    """A list's suggestions: those `suggestions_visible_to(user)` matching the filters (state,
    year, kind, assigned to `unit` and not returned, `narrow`), in the default order. The same
    rows, built for a list of a million suggestions (issue 3, "Benchmark"):

    - `unit=` reads the assignments' copies of the suggestion's state, year and sequence
      (Assignment.suggestion_*): a range of one index in the list's order, instead of every
      suggestion the unit ever had (38 000 at 1 M), each looked up, filtered and sorted. When
      the unit's arm is all the visibility there is to check (the user's own unit, or an
      administrator) and nothing else narrows the list, the page and the count come from that
      index alone;
    - otherwise the visibility is one arm, not an OR of arms (an OR cannot be read in index
      order: the database gathered every match, e.g. a year's 96 000 closed suggestions, and
      sorted them for each page). Staff use their broad arm (office congresses, units) alone
      unless their personal arm (what they lead or co-sign as deputies) adds a match outside it,
      which one cheap query checks first (always run: a fixed number of queries);
    - when the list is exactly "every suggestion past the draft of some congresses" filtered by
      nothing but state, year and kind (an administrator's, or an office's whose staff have no
      unit role and no personal match outside it), its count is the sum of the office's list
      counts (`counts.SuggestionCount`, kept by the actions) instead of a count over a year's
      ≈ 100 000 rows. The same number: tests/test_lists.py compares it with the plain count
      for every role and filter."""
    qs = Suggestion.objects.all()
    if not getattr(user, "is_authenticated", False):
        return Listing(qs.none())
    where = Q() if narrow is None else narrow
    if state:
        where &= Q(state=state)
    if year:
        where &= Q(year=year)
    if kind:
        where &= Q(kind=kind)
    arms = _visibility(user)
    if unit:
        copies: dict[str, Any] = {"unit_id": unit}
        if state:
            copies["suggestion_state"] = state
        if year:
            copies["suggestion_year"] = year
        assigned = Assignment.objects.filter(**copies).exclude(state=AssignmentState.RETURNED)
        if (arms is None or unit in arms.units) and not narrow and not kind:
            # Visible exactly when past the draft (the unit's arm): the copies say it all.
            assigned = assigned.exclude(suggestion_state=State.DRAFT)
            return Listing(qs, assigned=assigned, related=related)
        where &= Q(pk__in=assigned.values("suggestion_id"))

    def counted(congresses: set[int] | None) -> Callable[[], int] | None:
        if unit or narrow:
            return None
        return partial(counts.counted, congresses, state=state, year=year, kind=kind)

    if arms is None:
        return Listing(
            qs.filter(where).exclude(state=State.DRAFT), counted=counted(None), related=related
        )
    broad = arms.broad
    if unit and unit in arms.units:
        # Assigned to one of the user's units: visible exactly when past the draft.
        broad = ~Q(state=State.DRAFT)
    if broad is None:
        return Listing(qs.filter(where & arms.personal), related=related)
    if qs.filter(where & arms.personal).exclude(broad).exists():
        return Listing(qs.filter(where & (broad | arms.personal)), related=related)
    # The broad arm alone; it is "past the draft, of the office congresses" when the user holds
    # no unit role (a unit's arm reaches suggestions of other congresses).
    office_only = not arms.units
    return Listing(
        qs.filter(where & broad),
        counted=counted(arms.congresses) if office_only else None,
        related=related,
    )


def unit_ids_of(user: Any) -> set[int]:
    return {ra.unit_id for ra in role_assignments(user) if ra.role in UNIT_ROLES and ra.unit_id}


def unit_staff(unit_ids: Any) -> dict[int, list[Any]]:
    """The active clerks and heads of each unit (unit id → people): who is told of an
    assignment and who watches its deadlines. One query for all units."""
    from renda.accounts.models import RoleAssignment

    out: dict[int, list[Any]] = {}
    rows = (
        RoleAssignment.objects.filter(
            unit_id__in=list(unit_ids), role__in=UNIT_ROLES, user__is_active=True
        )
        .select_related("user")
        .order_by("unit_id", "user_id")
    )
    for ra in rows:
        people = out.setdefault(ra.unit_id, [])
        if all(p.pk != ra.user_id for p in people):
            people.append(ra.user)
    return out


def office_staff(congress_id: int, role: str = Role.DEPUTY_AFFAIRS) -> list[Any]:
    """The active staff holding `role` in a congress: by default the deputy-affairs office (who
    decide return requests); also the government supervision office or the committees, whom the
    deadline job escalates to."""
    from renda.accounts.models import User

    return list(
        User.objects.filter(is_active=True, roles__role=role, roles__congress_id=congress_id)
        .distinct()
        .order_by("pk")
    )


def unit_heads(unit_id: int) -> list[Any]:
    """The active heads (一把手) of a unit: the second escalation step names them."""
    from renda.accounts.models import User

    return list(
        User.objects.filter(is_active=True, roles__role=Role.UNIT_HEAD, roles__unit_id=unit_id)
        .distinct()
        .order_by("pk")
    )


# --- Answers, follow-up and key suggestions (issue 3 points 5–8) ------------------------------


def follow_up_list(congress: Any) -> QuerySet[Any]:
    """Unmet commitments of closed suggestions (回头看), soonest due first (SUG-CATEGORY).

    Only the commitments of each unit's latest answer count: a re-handled answer (SUG-REHANDLE)
    replaces what the first one promised."""
    from django.db.models import Exists, OuterRef

    from .models import Answer, Commitment

    newer = Answer.objects.filter(
        assignment_id=OuterRef("answer__assignment_id"), round__gt=OuterRef("answer__round")
    )
    return (
        Commitment.objects.filter(
            met_at__isnull=True,
            answer__assignment__suggestion__congress=congress,
            answer__assignment__suggestion__state=State.CLOSED,
        )
        .exclude(Exists(newer))
        .select_related("answer__assignment__suggestion", "answer__assignment__unit")
        .order_by("due", "id")
    )


def key_suggestions_board(user: Any, year: int | None = None) -> QuerySet[Any]:
    """SUG-KEY: the key suggestions a supervisor follows, with their latest progress report.

    A supervising leader sees those naming them; office roles (deputy-affairs, committees,
    leaders, government supervision) see every key suggestion of their congresses."""
    from django.db.models import Count, Max

    from .models import KeySuggestion

    if not getattr(user, "is_authenticated", False):
        return KeySuggestion.objects.none()
    qs = KeySuggestion.objects.all()
    if not is_admin(user):
        office_congresses = {
            ra.congress_id
            for ra in role_assignments(user)
            if ra.role in OFFICE_ROLES and ra.congress_id
        }
        qs = qs.filter(Q(supervisor=user) | Q(suggestion__congress_id__in=office_congresses))
    if year is not None:
        qs = qs.filter(year=year)
    return (
        qs.select_related("suggestion", "supervisor")
        .annotate(report_count=Count("reports"), last_report_at=Max("reports__reported_at"))
        .order_by("-year", "suggestion__number", "id")
    )


# --- The queues of the pages and home panels (deputy, unit, office) ----------------------


def deputy_congress_ids(user: Any) -> list[int]:
    """The congresses the user is a deputy of (sorted)."""
    return sorted(
        {
            ra.congress_id
            for ra in role_assignments(user)
            if ra.role == Role.DEPUTY and ra.congress_id
        }
    )


def deputy_queue(user: Any) -> Any:
    """The deputy's home queue: own and co-signed suggestions and pending co-signature requests,
    most recently changed first; `waiting_for_me` marks a request to answer (one query).

    One join on the deputy's own sponsor row (the lead deputy has one too, confirmed; a deputy
    has at most one per suggestion): a plain join compiles and runs far cheaper than the
    EXISTS subqueries this used to take, and this runs on every home page."""
    return (
        Suggestion.objects.filter(
            Q(sponsors__deputy=user, sponsors__declined_at__isnull=True)
            & (Q(sponsors__confirmed_at__isnull=False) | Q(state__in=COSIGN_STATES))
        )
        .annotate(
            waiting_for_me=ExpressionWrapper(
                Q(sponsors__confirmed_at__isnull=True), output_field=BooleanField()
            )
        )
        .only("id", "title", "number", "state", "lead_deputy_id", "updated_at")
        .order_by("-updated_at", "-id")
    )


def unit_open_rows(user: Any) -> Any:
    """The assignments the user's units are still handling, soonest due first (a lead unit's
    answer deadline, a co-unit's opinion deadline: the `due` copy, read in index order)."""
    return (
        Assignment.objects.filter(unit_id__in=unit_ids_of(user), state=AssignmentState.ACTIVE)
        .select_related("suggestion", "unit", "answer_deadline", "co_opinion_deadline")
        .order_by(F("due").asc(nulls_last=True), "id")
    )


class UnitQueue:
    """The unit page's queue for a Paginator, in two parts: the assignments still handling
    (`active`), soonest due first, then the ones done, most recently assigned first.

    At a province's scale a busy unit has tens of thousands of assignments; ordering all of
    them by a due date that lives in another table meant joining and sorting every one of them
    for each page. The open part is small and is sorted as before; the done part is read in
    index order (unit, state, id). Always three queries a page: both counts from the unit's
    queue counts (`counts.UnitQueueCount`, kept by the actions: counting the busy unit's
    54 000 assignments cost 14 ms a page on PostgreSQL at 1 M), then one slice of each part
    (the done part's slice is fetched even when not needed, so the number of queries does not
    depend on the data)."""

    def __init__(self, user: Any) -> None:
        self.user = user
        self._units = unit_ids_of(user)
        base = Assignment.objects.filter(unit_id__in=self._units).select_related(
            "suggestion", "unit", "answer_deadline", "co_opinion_deadline"
        )
        # Soonest due first: the assignment's copy of its current due date (`due`), so the
        # page's ids are read in the order of the (unit, state, due, id) index; ordering by the
        # deadlines themselves joined and sorted all ≈ 2 000 open assignments of the busy unit
        # at 1 M for every page (issue 3, "Benchmark").
        soonest = (F("due").asc(nulls_last=True), "id")
        self.open = base.filter(state=AssignmentState.ACTIVE).order_by(*soonest)
        # The page's ids from the index alone, then only those rows read whole.
        self._open_ids = (
            Assignment.objects.filter(unit_id__in=self._units, state=AssignmentState.ACTIVE)
            .order_by(*soonest)
            .values("id")
        )
        self.done = base.filter(state=AssignmentState.ANSWERED).order_by("-id")
        self._counts: dict[str, int] | None = None

    def _count(self) -> dict[str, int]:
        if self._counts is None:
            by_state = counts.unit_queue_counts(self._units)
            self._counts = {
                "all": sum(n for state, n in by_state.items() if state != AssignmentState.RETURNED),
                "open": by_state.get(AssignmentState.ACTIVE, 0),
            }
        return self._counts

    def count(self) -> int:
        return self._count()["all"]

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Assignment]:
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop if index.stop is not None else self.count()
        n_open = self._count()["open"]
        lo, hi = min(start, n_open), max(min(stop, n_open), min(start, n_open) + 1)
        rows = list(self.open.filter(pk__in=self._open_ids[lo:hi]))
        rows = rows[: max(0, min(stop, n_open) - start)]
        done_start = max(0, start - n_open)
        size = stop - start - len(rows)
        done = list(self.done[done_start : done_start + max(size, 1)])
        return rows + done[: max(size, 0)]


def mark_due_and_overdue(rows: list[Assignment], today: date) -> None:
    """Give each queue row its `due_deadline` (answer or opinion) and `is_overdue` flag."""
    for row in rows:
        deadline = row.answer_deadline if row.role == UnitRole.LEAD else row.co_opinion_deadline
        row.due_deadline = deadline
        row.is_overdue = row.state == AssignmentState.ACTIVE and (
            row.overdue_since is not None or (deadline is not None and deadline.due < today)
        )


def office_suggestions(user: Any) -> QuerySet[Suggestion]:
    """Suggestions of the congresses the user's office handles (and the user may see)."""
    congresses = office_congress_ids(user)
    qs = suggestions_visible_to(user)
    if congresses is not None:
        qs = qs.filter(congress_id__in=congresses)
    return qs


def attachments_of(suggestion: Suggestion) -> QuerySet[Any]:
    """A suggestion's attachments, oldest first. Callers have checked the suggestion is visible
    (the attachments have its visibility); the public pages never call this."""
    from .models import Attachment

    return Attachment.objects.filter(suggestion=suggestion).order_by("uploaded_at", "id")


# --- Overdue boards (issue 3 point 9): the office's and the government supervision office's --


def gov_supervisor_congress_ids(user: Any) -> set[int]:
    """The congresses whose government supervision office (政府督查室) the user works in."""
    return {
        ra.congress_id
        for ra in role_assignments(user)
        if ra.role == Role.GOV_SUPERVISOR and ra.congress_id
    }


def overdue_assignments(user: Any) -> QuerySet[Assignment]:
    """Lead units' answers past their deadline and still handled, oldest due first.

    The deputy-affairs office sees those of its congresses (an administrator: all); the
    government supervision office those of government units (it supervises the government's
    handling, DOMAIN.md §1) in its congresses. Anyone else: none."""
    from renda.orgs.choices import UnitKind

    base = Assignment.objects.filter(
        role=UnitRole.LEAD,
        state=AssignmentState.ACTIVE,
        answer_deadline__due__lt=timezone.localdate(),
    ).exclude(suggestion__state=State.DRAFT)
    office = office_congress_ids(user)
    if office is None:
        scope = Q()
    else:
        scope = Q(suggestion__congress_id__in=office)
        gov = gov_supervisor_congress_ids(user)
        if gov:
            scope |= Q(suggestion__congress_id__in=gov, unit__kind=UnitKind.GOVERNMENT)
        if not office and not gov:
            return base.none()
    return (
        base.filter(scope)
        .select_related("suggestion", "unit", "answer_deadline")
        .order_by("answer_deadline__due", "id")
    )
