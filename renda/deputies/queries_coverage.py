"""Coverage dashboards for the deputy-affairs office (issue 4 point 6), per congress and term.

Each list is one set-based query, never a loop over deputies:
- deputies who in this term have not reported back to voters / not been trained / not sat in on
  a standing-committee meeting: NOT EXISTS a duty record of that kind in the term, probing the
  duty_deputy_kind_idx index (deputyship, kind, occurred_on) once per deputy;
- the counts of those three lists, by delegation: one GROUP BY with three such NOT EXISTS;
- standing-committee members below their target of fixed grassroots contacts: one GROUP BY …
  HAVING over the members (sc_contact_target, a rule-profile setting);
- DEP-TERMINATE: deputies absent without approved leave from two sessions of the congress
  (attendance `absent` on activities linked to a Session; distinct sessions counted): one
  GROUP BY … HAVING over the unexcused absences (the attendance_absent_idx partial index). The
  list is for the standing committee's decision: the platform never ends a deputyship itself.

Only active deputyships count in the three duty lists (suspended duties are not expected;
ended ones are gone); the DEP-TERMINATE flag lists active and suspended ones.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renda.orgs.models import Congress, Session, StandingCommitteeMembership, Term
from renda.rules.profiles import profile_for

from .choices import AttendanceOutcome, DeputyshipStatus, DutyKind, LeaveState
from .models import (
    Attendance,
    Delegation,
    DeputyGroup,
    Deputyship,
    DutyTally,
    GroupMembership,
    LeaveRequest,
)

# The three duties every deputy is expected to perform in a term, by list key.
DUTY_LISTS: dict[str, str] = {
    "report_back": DutyKind.REPORT_BACK,
    "training": DutyKind.TRAINING,
    "sc_sitting": DutyKind.SC_SITTING,
}
LISTS = (*DUTY_LISTS, "sc_contacts", "flagged")
LIST_TITLES = {
    "report_back": _("Not yet reported back to voters"),
    "training": _("Not yet trained"),
    "sc_sitting": _("Not yet sat in on a standing-committee meeting"),
    "sc_contacts": _("Standing-committee members below their fixed contacts"),
    "flagged": _("Absent from two sessions without leave"),
}
# DEP-TERMINATE: sessions absent without leave that put a deputy on the flag list.
FLAG_SESSIONS = 2
SUMMARY_CACHE_SECONDS = 600


@dataclass(frozen=True)
class CoverageFilter:
    congress: Congress
    term: Term
    today: date
    delegation: Delegation | None = None
    group: DeputyGroup | None = None

    @property
    def since(self) -> date:
        return self.term.start_date

    @property
    def until(self) -> date:
        end = self.term.end_date
        return min(end, self.today) if end else self.today

    @property
    def filtered(self) -> bool:
        return self.delegation is not None or self.group is not None


@dataclass
class CoverageSummary:
    deputies: int
    missing: dict[str, int]  # report_back / training / sc_sitting -> deputies missing it
    by_delegation: list[dict[str, Any]]
    sc_members: int
    sc_below: int
    sc_target: int
    flagged: int
    computed_at: Any = field(default=None)

    def count(self, key: str) -> int:
        if key in self.missing:
            return self.missing[key]
        return self.sc_below if key == "sc_contacts" else self.flagged


def current_term(congress: Congress, today: date | None = None) -> Term | None:
    """The term in force (the latest one started by today)."""
    today = today or timezone.localdate()
    return (
        Term.objects.filter(congress=congress, start_date__lte=today)
        .order_by("-start_date")
        .first()
    )


# --- the three duty lists ------------------------------------------------------------------
def _deputyships(
    f: CoverageFilter, *, statuses: tuple[str, ...] = (DeputyshipStatus.ACTIVE,)
) -> QuerySet[Deputyship]:
    qs = Deputyship.objects.filter(congress=f.congress, term=f.term, status__in=statuses)
    if f.delegation is not None:
        qs = qs.filter(delegation=f.delegation)
    if f.group is not None:
        qs = qs.filter(
            Exists(GroupMembership.objects.filter(group=f.group, deputyship=OuterRef("pk")))
        )
    return qs


def _has_duty(kind: str, f: CoverageFilter) -> Q:
    """A duty of that kind in the term: the deputyship is among those with a duty tally row of
    the congress, kind and the term's years — ONE contiguous range of duty_tally_congress_idx
    (congress, kind, year, deputyship), read once and hashed, not a probe per deputy. The term's
    window is applied by calendar year: the actions make records only within the deputyship's
    own term and never in the future (manual entries are checked; a suggestion or an activity
    is dated when it happens)."""
    return Q(
        pk__in=DutyTally.objects.filter(
            congress=f.congress,
            kind=kind,
            year__gte=f.since.year,
            year__lte=f.until.year,
        ).values("deputyship_id")
    )


def missing_duty(f: CoverageFilter, key: str) -> QuerySet[Deputyship]:
    """Active deputies of the term with no duty record of the list's kind in the term."""
    return (
        _deputyships(f)
        .filter(~_has_duty(DUTY_LISTS[key], f))
        .select_related("person", "delegation")
        .order_by("person__name", "pk")
    )


def missing_by_delegation(f: CoverageFilter) -> list[dict[str, Any]]:
    """Per delegation: active deputies and how many miss each duty (one GROUP BY)."""
    aggregates = {key: Count("pk", filter=~_has_duty(kind, f)) for key, kind in DUTY_LISTS.items()}
    rows = (
        _deputyships(f)
        .order_by()
        .values("delegation_id", "delegation__name")
        .annotate(deputies=Count("pk"), **aggregates)
    )
    return sorted(rows, key=lambda r: (r["delegation__name"] is None, r["delegation__name"] or ""))


# --- standing-committee members' fixed contacts -------------------------------------------------
def sc_target(congress: Congress) -> int:
    return profile_for(congress).sc_contact_target


def sc_members(f: CoverageFilter) -> QuerySet[StandingCommitteeMembership]:
    """The term's standing-committee members still in office, each with their fixed contacts
    with active deputies counted (one GROUP BY)."""
    return (
        StandingCommitteeMembership.objects.filter(congress=f.congress, term=f.term)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=f.today))
        .annotate(
            contacts=Count(
                "contact_links",
                filter=Q(contact_links__deputyship__status=DeputyshipStatus.ACTIVE),
            )
        )
        .select_related("user")
        .order_by("contacts", "user__full_name", "pk")
    )


def sc_below_target(f: CoverageFilter) -> QuerySet[StandingCommitteeMembership]:
    """Members with fewer fixed contacts than the congress's target (GROUP BY … HAVING)."""
    return sc_members(f).filter(contacts__lt=sc_target(f.congress))


# --- DEP-TERMINATE ----------------------------------------------------------------------------
def unexcused_session_absences(f: CoverageFilter) -> QuerySet[Attendance]:
    """DEP-TERMINATE: attendance rows marked absent on a session's activities, with no
    approved leave for that activity. (The state term repeats the partial index
    leave_request_one_live's condition so SQLite can use that index.)"""
    approved = LeaveRequest.objects.filter(
        activity=OuterRef("activity_id"),
        deputyship=OuterRef("deputyship_id"),
        state__in=[LeaveState.REQUESTED, LeaveState.APPROVED],
    ).filter(state=LeaveState.APPROVED)
    qs = Attendance.objects.filter(
        outcome=AttendanceOutcome.ABSENT,
        activity__session__isnull=False,
        activity__session__term=f.term,
        deputyship__congress=f.congress,
        deputyship__term=f.term,
    ).exclude(deputyship__status=DeputyshipStatus.ENDED)
    if f.delegation is not None:
        qs = qs.filter(deputyship__delegation=f.delegation)
    if f.group is not None:
        qs = qs.filter(
            Exists(
                GroupMembership.objects.filter(group=f.group, deputyship=OuterRef("deputyship_id"))
            )
        )
    return qs.filter(~Exists(approved))


def flagged_counts(f: CoverageFilter) -> QuerySet[Any]:
    """DEP-TERMINATE: (deputyship id, distinct sessions absent) for those at two or more (one
    GROUP BY … HAVING)."""
    return (
        unexcused_session_absences(f)
        .order_by()
        .values("deputyship_id")
        .annotate(sessions=Count("activity__session", distinct=True))
        .filter(sessions__gte=FLAG_SESSIONS)
    )


@dataclass
class FlaggedDeputy:
    deputyship: Deputyship
    sessions: list[Session]


def flagged_deputies(f: CoverageFilter) -> list[FlaggedDeputy]:
    """The flag list with each deputy's sessions missed (three small queries: the list is
    short — it needs two sessions missed without leave)."""
    counts = {r["deputyship_id"]: r["sessions"] for r in flagged_counts(f)}
    if not counts:
        return []
    deputies = (
        Deputyship.objects.filter(pk__in=list(counts))
        .select_related("person", "delegation")
        .order_by("person__name", "pk")
    )
    missed: dict[int, dict[int, Session]] = {pk: {} for pk in counts}
    for a in (
        unexcused_session_absences(f)
        .filter(deputyship_id__in=list(counts))
        .select_related("activity__session", "activity__session__term")
    ):
        session = a.activity.session
        missed[a.deputyship_id][session.pk] = session
    return [
        FlaggedDeputy(d, sorted(missed[d.pk].values(), key=lambda s: (s.start_date, s.pk)))
        for d in deputies
    ]


# --- the dashboard's summary ----------------------------------------------------------------
def _cache_key(congress_id: int) -> str:
    return f"deputies:coverage:{congress_id}"


def coverage_summary(f: CoverageFilter) -> CoverageSummary:
    """Every count of the dashboard: one GROUP BY for the three duty lists (by delegation,
    summed here), one for the members' contacts, one for the flag. The unfiltered summary is
    kept in the cache for the office's home panel (which must stay cheap)."""
    by_delegation = missing_by_delegation(f)
    members = list(sc_members(f).values_list("contacts", flat=True))
    target = sc_target(f.congress)
    summary = CoverageSummary(
        deputies=sum(r["deputies"] for r in by_delegation),
        missing={k: sum(r[k] for r in by_delegation) for k in DUTY_LISTS},
        by_delegation=by_delegation,
        sc_members=len(members),
        sc_below=sum(1 for n in members if n < target),
        sc_target=target,
        flagged=flagged_counts(f).count(),
        computed_at=timezone.now(),
    )
    if not f.filtered:
        cache.set(
            _cache_key(f.congress.pk),
            {
                "term": f.term.pk,
                "deputies": summary.deputies,
                "missing": summary.missing,
                "sc_below": summary.sc_below,
                "flagged": summary.flagged,
                "computed_at": summary.computed_at,
            },
            SUMMARY_CACHE_SECONDS,
        )
    return summary


def cached_summary(congress_id: int) -> dict[str, Any] | None:
    """The last unfiltered summary of this congress (its term in force), if the dashboard
    computed it in the last ten minutes — no database query."""
    return cache.get(_cache_key(congress_id))


def flagged_count_for_offices(congress_ids: set[int] | None, today: date) -> int:
    """DEP-TERMINATE: deputies flagged in the offices' congresses, in the terms in force —
    one indexed query for the home page (unexcused absences are few)."""
    approved = LeaveRequest.objects.filter(
        activity=OuterRef("activity_id"),
        deputyship=OuterRef("deputyship_id"),
        state__in=[LeaveState.REQUESTED, LeaveState.APPROVED],
    ).filter(state=LeaveState.APPROVED)
    qs = Attendance.objects.filter(
        outcome=AttendanceOutcome.ABSENT,
        activity__session__isnull=False,
        deputyship__term__start_date__lte=today,
    ).filter(Q(deputyship__term__end_date__isnull=True) | Q(deputyship__term__end_date__gte=today))
    if congress_ids is not None:
        qs = qs.filter(deputyship__congress_id__in=congress_ids)
    return (
        qs.exclude(deputyship__status=DeputyshipStatus.ENDED)
        .filter(~Exists(approved))
        .order_by()
        .values("deputyship_id")
        .annotate(sessions=Count("activity__session", distinct=True))
        .filter(sessions__gte=FLAG_SESSIONS)
        .count()
    )


def iter_rows(qs: QuerySet[Any], chunk: int = 2000) -> Iterator[Any]:
    """Rows for an export, streamed in chunks (select_related works with iterator(chunk))."""
    yield from qs.iterator(chunk_size=chunk)
